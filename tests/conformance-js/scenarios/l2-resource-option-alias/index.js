// Aliases as specs: a renamed resource and a child whose type changed.
"use strict";
const { Resource, Parent } = require("../common");
new Resource("res", { value: true }, { aliases: [{ name: "old-res" }] });
const comp = new Parent("comp", []);
new Resource("moved", { value: true }, { parent: comp, aliases: [{ name: "old-moved", type: "simple:index:OldResource" }] });
