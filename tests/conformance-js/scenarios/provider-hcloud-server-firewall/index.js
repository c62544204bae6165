// hcloud through the generated SDK: an explicit provider with a secret token, an SSH key, a
// firewall with rules and a server that takes the key's ID and a numeric firewall ID.
"use strict";
const pulumi = require("@pulumi/pulumi");
const hcloud = require("@pulumi/hcloud");

const provider = new hcloud.Provider("hetzner", { token: pulumi.secret("fake-hcloud-token"), pollInterval: "1s" });
const opts = { provider };

const key = new hcloud.SshKey("admin", { name: "admin", publicKey: "ssh-ed25519 AAAAfake admin" }, opts);

new hcloud.Firewall("askari", {
    name: "askari",
    rules: [
        { direction: "in", protocol: "tcp", port: "22", sourceIps: ["0.0.0.0/0", "::/0"], description: "ssh" },
        { direction: "in", protocol: "icmp", sourceIps: ["0.0.0.0/0", "::/0"] },
    ],
    labels: { role: "coordinator" },
}, opts);

new hcloud.Server("askari", {
    name: "askari",
    serverType: "cx22",
    image: "debian-12",
    location: "fsn1",
    sshKeys: [key.id],
    firewallIds: [4711],
    publicNets: [{ ipv4Enabled: true, ipv6Enabled: true }],
    labels: { role: "coordinator" },
}, opts);
