/** Code-location mapping figures on a generated 20,000-file workspace (see mappingBench.ts). */
import { benchMapping } from './mappingBench';
import type { BenchGroup } from './registry';

export const mappingGroup: BenchGroup = {
  name: 'mapping',
  description: 'workspace index build rate and locateSpan cost on a generated 20,000-file workspace',
  cases: ['mapping.index', 'mapping.locate'],
  async run(selected, report, context) {
    context.log('mapping: writing a 20,000-file workspace to a temp folder (slow disks take a minute)');
    for (const figure of await benchMapping()) {
      if (selected.some((c) => figure.name.startsWith(c))) report(figure);
    }
  },
};
