// dependsOn a custom resource and on a component (expanded to its custom descendants).
"use strict";
const { Resource, Parent } = require("../common");
const res1 = new Resource("res1", { value: true });
const comp = new Parent("comp", ["a", "b"]);
new Resource("res2", { value: true }, { dependsOn: [res1] });
new Resource("res3", { value: true }, { dependsOn: [comp] });
new Resource("res4", { value: true }, { dependsOn: [res1, comp] });
