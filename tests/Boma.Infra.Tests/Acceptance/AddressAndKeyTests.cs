using System.Security.Cryptography;
using Boma.Infra.Config;
using NUnit.Framework;

namespace Boma.Infra.Tests.Acceptance;

[TestFixture]
public sealed class AddressAndKeyTests
{
    [TestCase("203.0.113.7/32", "203.0.113.7/32")]
    [TestCase("2001:DB8:1234:0::/48", "2001:db8:1234::/48")]
    [TestCase("0.0.0.0/0", "0.0.0.0/0")]
    public void Strict_cidrs_parse_to_canonical_form(string text, string canonical)
    {
        Assert.That(ConfigRules.Cidr(text, out var normalized), Is.Null);
        Assert.That(normalized, Is.EqualTo(canonical));
    }

    [TestCase("010.1.1.1/32")]
    [TestCase("10.1/32")]
    [TestCase("167772161/32")]
    [TestCase("0x0a.1.1.1/32")]
    [TestCase("10.0.0.256/32")]
    [TestCase("fe80::1%25eth0/128")]
    [TestCase("::ffff:10.0.0.1/128")]
    [TestCase("::ffff:a00:1/128")]
    [TestCase("10.0.0.1/33")]
    [TestCase("10.0.0.1/-1")]
    [TestCase("10.0.0.1/+8")]
    [TestCase("10.0.0.1/ 8")]
    [TestCase("10.0.0.1/8")]
    [TestCase(" 10.0.0.0/8")]
    [TestCase("10.0.0.0")]
    [TestCase("")]
    public void Sloppy_cidrs_are_refused(string text) =>
        Assert.That(ConfigRules.Cidr(text, out _), Is.Not.Null);

    [Test]
    public void Coverage_counts_the_union_not_the_spelling()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ConfigRules.TooWide(["0.0.0.0/1", "128.0.0.0/1"]), Does.Contain("IPv4"));
            Assert.That(ConfigRules.TooWide(["::/1", "8000::/1"]), Does.Contain("IPv6"));
            Assert.That(ConfigRules.TooWide(Enumerable.Range(0, 2).Select(i => $"{i}.0.0.0/8")), Does.Contain("IPv4"), "two /8s are more than one");
            // Positive controls: a /8, overlapping narrow sources and the shipped ranges pass.
            Assert.That(ConfigRules.TooWide(["10.0.0.0/8", "10.1.0.0/16", "10.0.0.0/8"]), Is.Null);
            Assert.That(ConfigRules.TooWide(["203.0.113.7/32", "2001:db8:1234::/48"]), Is.Null);
        });
    }

    private static string RsaKeyLine(int bits)
    {
        using var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(false);
        using var blob = new MemoryStream();
        void Write(byte[] data)
        {
            var length = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            blob.Write(length);
            blob.Write(data);
        }

        static byte[] MpInt(byte[] v) => v[0] >= 0x80 ? [0, .. v] : v;
        Write("ssh-rsa"u8.ToArray());
        Write(MpInt(p.Exponent!));
        Write(MpInt(p.Modulus!));
        return "ssh-rsa " + Convert.ToBase64String(blob.ToArray()) + " kim@laptop";
    }

    [Test]
    public void Rsa_keys_need_3072_bits()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ConfigRules.PublicKey(RsaKeyLine(2048)), Does.Contain("2048 bits").And.Contain("3072"));
            Assert.That(ConfigRules.PublicKey(RsaKeyLine(1024)), Does.Contain("1024 bits"));
            Assert.That(ConfigRules.PublicKey(RsaKeyLine(3072)), Is.Null);
            Assert.That(ConfigRules.PublicKey(RsaKeyLine(4096)), Is.Null);
            Assert.That(ConfigRules.PublicKey("ssh-dss AAAAB3NzaC1kc3M="), Does.Contain("not accepted"));
        });
    }

    /// <summary>Keys made by the real ssh-keygen (openssh-server pulls it in, .ci/apt-packages.txt): the rule agrees with OpenSSH's own output.</summary>
    [TestCase("ed25519", null, true)]
    [TestCase("ecdsa", "256", true)]
    [TestCase("ecdsa", "384", true)]
    [TestCase("ecdsa", "521", true)]
    [TestCase("rsa", "4096", true)]
    [TestCase("rsa", "3072", true)]
    [TestCase("rsa", "2048", false)]
    [TestCase("rsa", "1024", false)]
    [TestCase("ed25519-sk", null, false)]
    public void Keys_from_ssh_keygen_are_judged_by_type_and_strength(string type, string? bits, bool accepted)
    {
        var dir = Directory.CreateTempSubdirectory("boma-keys-").FullName;
        try
        {
            var file = Path.Combine(dir, "k");
            string pub;
            if (type == "ed25519-sk")
            {
                // Making a FIDO key needs the token; its public line has this shape (type, base64 blob starting with the type).
                var blob = new List<byte>();
                foreach (var part in new[] { "sk-ssh-ed25519@openssh.com"u8.ToArray(), new byte[32], "ssh:"u8.ToArray() })
                {
                    var length = new byte[4];
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
                    blob.AddRange(length);
                    blob.AddRange(part);
                }

                pub = "sk-ssh-ed25519@openssh.com " + Convert.ToBase64String([.. blob]) + " kim@laptop";
            }
            else
            {
                var args = new List<string> { "-q", "-t", type, "-N", "", "-C", "kim@laptop", "-f", file };
                if (bits is not null)
                {
                    args.AddRange(["-b", bits]);
                }

                var made = Boma.Infra.Tests.HostFiles.HostTool.Run(Boma.Infra.Tests.HostFiles.HostTool.Require("ssh-keygen", "openssh-client"), args);
                Assert.That(made.ExitCode, Is.Zero, made.ToString());
                pub = File.ReadAllText(file + ".pub").Trim();
            }

            var problem = ConfigRules.PublicKey(pub);
            if (accepted)
            {
                Assert.That(problem, Is.Null, pub);
            }
            else
            {
                Assert.That(problem, Does.Contain(type == "rsa" ? $"{bits} bits" : "not accepted"), pub);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
