// random's resources through the generated SDK: RandomPassword's secret outputs, plain
// RandomString/RandomId, keepers.
"use strict";
const random = require("@pulumi/random");

new random.RandomPassword("db", { length: 24, special: false, keepers: { rotation: "1" } });
new random.RandomString("suffix", { length: 6, upper: false, special: false });
new random.RandomId("id", { byteLength: 8, prefix: "boma-" });
