"use strict";
const { Resource } = require("../common");
new Resource("dbr", { value: true }, { deleteBeforeReplace: true });
new Resource("no-dbr", { value: true }, { deleteBeforeReplace: false });
