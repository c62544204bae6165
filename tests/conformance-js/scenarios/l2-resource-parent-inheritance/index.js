// provider and protect flow from parents to children (client-side inheritance).
"use strict";
const { Resource, Provider, Parent } = require("../common");
const prov = new Provider("prov");
// provider on a component: its children of package "simple" use it.
new Parent("parent1", ["child"], { provider: prov });
// protect on a component: children inherit it.
new Parent("parent2", ["child"], { protect: true });
// providers + protect through two component levels.
const outer = new Parent("outer", [], { providers: [prov], protect: true });
new Parent("inner", ["grandchild"], { parent: outer });
// a custom parent with an explicit provider.
const res = new Resource("res", { value: true }, { provider: prov });
new Resource("res-child", { value: false }, { parent: res });
