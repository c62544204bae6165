// Every plain kind of stack output, a secret and an already-wrapped Output.
"use strict";
const { pulumi } = require("../common");
exports.aString = "hello";
exports.aTrue = true;
exports.aFalse = false;
exports.anInteger = 42;
exports.aFloat = 3.5;
exports.aList = ["a", 1, true];
exports.aMap = { key: "value", nested: { deep: 1 } };
exports.aSecret = pulumi.secret("fake-secret-value");
exports.anOutput = pulumi.output("wrapped");
exports.aSecretList = pulumi.secret(["x", "y"]);
