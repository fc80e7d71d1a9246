// Where the sample services listen (127.0.0.1); SAMPLE_APP_PORT moves the whole block.
'use strict';
const base = Number(process.env.SAMPLE_APP_PORT || 7070);
module.exports = {
  gateway: base,
  orders: base + 1,
  payments: base + 2,
  inventory: base + 3,
  url: (service) => `http://127.0.0.1:${module.exports[service]}`,
};
