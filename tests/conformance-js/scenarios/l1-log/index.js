// User log messages at INFO and WARNING, one about a resource.
"use strict";
const { pulumi, Resource } = require("../common");
pulumi.log.info("hello from the program");
const res = new Resource("res", { value: true });
pulumi.log.warn("about a resource", res);
