// No resources and no outputs: only the stack, its (empty) outputs and the shutdown signal.
"use strict";
require("../common");
