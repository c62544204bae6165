"use strict";
require("../common");
exports.output = "hello";
