// command's local and remote Command through the generated SDK: triggers (replaceOnChanges),
// logging, environment, the secret connection with its defaults applied to the proxy hop too.
"use strict";
const command = require("@pulumi/command");

new command.local.Command("render", {
    create: "echo render",
    triggers: ["v1", 2],
    logging: "none",
    environment: { STAGE: "test" },
});

new command.remote.Command("uptime", {
    connection: {
        host: "203.0.113.10",
        user: "admin",
        password: "fake-password",
        dialErrorLimit: -1,
        proxy: { host: "198.51.100.7", privateKey: "fake-proxy-key" },
    },
    create: "uptime",
    delete: "true",
    triggers: ["a"],
});
