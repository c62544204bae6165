// command's CopyToRemote through the generated SDK: a string asset and a file archive as the
// source (asset/archive wire encoding), the secret connection with its defaults,
// additionalSecretOutputs and replaceOnChanges on triggers.
"use strict";
const pulumi = require("@pulumi/pulumi");
const command = require("@pulumi/command");

const connection = { host: "203.0.113.10", privateKey: "fake-private-key" };

new command.remote.CopyToRemote("motd", {
    connection,
    source: new pulumi.asset.StringAsset("hello from boma\n"),
    remotePath: "/etc/motd",
});

new command.remote.CopyToRemote("bundle", {
    connection,
    source: new pulumi.asset.FileArchive("./bundle"),
    remotePath: "/opt/bundle",
    triggers: ["v1"],
});
