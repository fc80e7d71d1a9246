/** .NET `Exception.ToString()`: `at Ns.Type.Method(args) in /path/File.cs:line 42`, inner exceptions first. */
import { beforeLast, frame, positiveInt, type StackFrame } from './frames';

const DOTNET_FRAME = /^\s*at (.+?)(?: in (.+):\p{L}+ (\d+))?\s*$/u;
export const DOTNET_SIGNATURE =
  /^\s*(?:at [^\s(]+\((?:[^()]*\s[^()]*)?\)(?: in .+:\p{L}+ \d+)?\s*$|--- End of (?:inner exception )?stack trace)/u;
/**
 * The runtime's and Microsoft's framework namespaces; an application may well live under `Microsoft.` itself
 * (`Microsoft.eShopOnContainers.Services…`), so only the framework's product names count there.
 */
const DOTNET_LIBRARY =
  /^(?:System|Internal|lambda_method)\b|^Microsoft\.(?:AspNetCore|Extensions|EntityFrameworkCore|Data|CSharp|VisualBasic|Win32|VisualStudio|Azure|Identity|IdentityModel|Net|NET|Owin|ApplicationInsights|Graph|OData|Build|CodeAnalysis|Diagnostics|JSInterop|Internal|Rest|ServiceFabric|SqlServer|WindowsAzure|Bot|ML|Maui|Practices|Web|Windows|Xaml|OpenApi|FeatureManagement|Health|Owin|DotNet)\b/;

// .NET prints inner exceptions first: the printed order is already root cause first.
export function parseDotnet(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const m = DOTNET_FRAME.exec(line);
    if (!m) continue;
    const paren = m[1]!.indexOf('(');
    const fn = paren > 0 ? m[1]!.slice(0, paren) : m[1]!;
    frames.push(
      frame({
        file: m[2],
        line: positiveInt(m[3]),
        function: fn,
        module: beforeLast(fn, '.'),
        isLibrary: DOTNET_LIBRARY.test(fn) || undefined,
      }),
    );
  }
  return frames;
}
