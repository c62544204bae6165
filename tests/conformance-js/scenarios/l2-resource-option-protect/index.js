"use strict";
const { Resource } = require("../common");
new Resource("protected", { value: true }, { protect: true });
new Resource("unprotected", { value: true }, { protect: false });
new Resource("default", { value: true });
