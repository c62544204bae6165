using System.Globalization;
using Boma.Infra.Components;
using Boma.Infra.Hosts;
using Boma.Infra.Rehearsal.Deploy;

namespace Boma.Infra.Rehearsal;

/// <summary>What a rehearsal run is asked to do.</summary>
internal sealed class RehearsalOptions
{
    public required string RepoDir { get; init; }

    /// <summary>Where the lab's state lives (deploy state, keys, askari's root filesystem); wiped at the start.</summary>
    public string StateDir { get; init; } = "/var/lib/boma-rehearsal/offsite";

    /// <summary>The image cache: the pristine trixie tarballs and the built images (outside the checkout).</summary>
    public string CacheDir { get; init; } = Environment.GetEnvironmentVariable("BOMA_REHEARSAL_CACHE") is { Length: > 0 } c ? c : "/var/cache/boma-rehearsal";

    public bool Keep { get; init; }

    public Action<string> Log { get; init; } = _ => { };

    /// <summary>The report to add to (the cluster rehearsal shares its own with the offsite deploy it runs first).</summary>
    public RehearsalReport? Report { get; init; }
}

/// <summary>
/// The offsite rehearsal (docs/rehearsal.md): boot askari in the lab, deploy the real program's command graph over
/// SSH, then the checks: converge, idempotence, access, exposure, services, fail2ban, backup, reboot, lockout.
/// </summary>
internal sealed class OffsiteRehearsal(RehearsalOptions options)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly Lab _lab = new(options.RepoDir, options.StateDir);
    private readonly RehearsalReport _report = options.Report ?? new();
    private readonly List<string> _lockouts = [];
    private int _lockoutChecks;
    private bool _imagesImported;
    private LynisResult? _lynisPlain;
    private string? _lynisPlainError;
    private DateTime? _lynisPlainCachedAt;
    private RehearsalConfig _config = null!;

    public RehearsalReport Report => _report;

    private void Log(string line) => options.Log(line);

    public Task<RehearsalReport> RunAsync(CancellationToken ct) =>
        RehearsalRun.GuardAsync(_report, options, () => RunCoreAsync(ct),
            () => _lab.LabAsync(TimeSpan.FromMinutes(3), CancellationToken.None, "down", options.StateDir), ct);

    private async Task RunCoreAsync(CancellationToken ct)
    {
        using var shell = new SshRemoteShell(["ip", "netns", "exec", Lab.Operator]);
        var (inputs, graph, first) = await UpAsync(shell, "converge", lynisPlain: true, ct);
        if (!first.Succeeded)
        {
            AddLockout();
            return;
        }

        await LynisBomaAsync(ct);
        await IdempotenceAsync(inputs, shell, graph, ct);
        await AccessAsync("access", ct);
        await ExposureAsync("exposure", ct);
        await ServicesAsync("services", ct);
        await Fail2banAsync(ct);
        await BackupAsync(ct);
        await RebootAsync(ct);
        AddLockout();
    }

    /// <summary>
    /// The lab and askari's fresh deploy: <see cref="LabUpAsync"/>, then <see cref="ConvergeAsync"/>, recorded as the
    /// check <paramref name="check"/>; with <paramref name="lynisPlain"/> Lynis audits the plain machine before the
    /// first step.
    /// </summary>
    internal async Task<(DeployInputs Inputs, DeployGraph Graph, DeployReport First)> UpAsync(SshRemoteShell shell, string check, bool lynisPlain, CancellationToken ct)
    {
        var (inputs, graph) = await LabUpAsync(ct);
        var first = await ConvergeAsync(shell, graph, check, lynisPlain, ct);
        return (inputs, graph, first);
    }

    /// <summary>
    /// A fresh state, the image, the lab up (namespaces, relay, DNS, doubles) and askari booted from the plan's
    /// user-data. The cluster rehearsal boots its VMs as soon as this returns, while askari deploys.
    /// </summary>
    internal async Task<(DeployInputs Inputs, DeployGraph Graph)> LabUpAsync(CancellationToken ct)
    {
        await PrepareAsync(ct);
        var inputs = DeployInputsFor();
        var graph = await DeployRunner.PlanAsync(inputs, ct);
        var userData = Path.Combine(options.StateDir, "user-data");
        await File.WriteAllTextAsync(userData, graph.ServerUserData, ct);
        await RehearsalRun.Must("lab up", _lab.LabAsync(TimeSpan.FromMinutes(3), ct, "up", options.StateDir, _config.Domain, userData));
        await RehearsalRun.Must("boot askari", _lab.LabAsync(TimeSpan.FromMinutes(3), ct, "boot", options.StateDir));
        return (inputs, graph);
    }

    /// <summary>
    /// askari's first <c>up</c> once cloud-init is done, over <paramref name="shell"/> (lockout checked after every
    /// step), recorded as the check <paramref name="check"/>. The cluster rehearsal's VMs enrol with its stack outputs.
    /// </summary>
    internal async Task<DeployReport> ConvergeAsync(SshRemoteShell shell, DeployGraph graph, string check, bool lynisPlain, CancellationToken ct)
    {
        await WaitForCloudInitAsync(ct);
        if (lynisPlain)
        {
            await LynisPlainAsync(ct);
        }

        // converge: every step of a fresh deploy exits 0, lockout checked after each.
        var first = await graph.ExecuteAsync(shell, Hooks(), ct);
        _report.AddRun("first up (fresh machine)", first);
        CriticalPathNote(first);
        var ran = first.Ran.Count();
        _report.Add(check, first.Succeeded && first.Steps.All(s => s.Action != DeployAction.Skip && (s.Exit ?? 0) == 0),
            first.Succeeded ? $"{ran} steps ran on a fresh askari, every one exit 0" : $"failed: {first.Failure}");
        return first;
    }

    /// <summary>The offsite config the lab deployed with (after <see cref="UpAsync"/>).</summary>
    internal RehearsalConfig Config => _config;

    /// <summary>The lab's operator-side view (keys, addresses).</summary>
    internal Lab Lab => _lab;

    /// <summary>The lockout checks so far: how many ran, and the failures.</summary>
    internal (int Checks, IReadOnlyList<string> Failures) Lockouts => (_lockoutChecks, _lockouts);

    /// <summary>Lynis on the plain machine: after first boot (cloud-init done), before the first step.</summary>
    private async Task LynisPlainAsync(CancellationToken ct)
    {
        Log("lynis: the plain machine (after first boot, before the deploy)");
        try
        {
            // The plain machine is the cached image as cloud-init leaves it (or a week passes: the mirror's pending
            // updates move), so its audit is cached.
            var (plain, cachedAt) = await LynisAudit.RunCachedAsync(options.RepoDir, LynisRoot, LynisAudit.PlainCacheFile(options.RepoDir, options.CacheDir), TimeSpan.FromDays(7), ct);
            _lynisPlain = plain;
            _lynisPlainCachedAt = cachedAt;
            Log($"lynis: plain hardening index {plain.HardeningIndex}{(cachedAt is { } at ? $" (cached, measured {at:yyyy-MM-dd HH:mm} UTC)" : "")}");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // The deploy still runs; the lynis check fails with this.
            _lynisPlainError = e.Message;
        }
    }

    /// <summary>lynis: the boma machine after converge, side by side with the plain one, every finding classified.</summary>
    private async Task LynisBomaAsync(CancellationToken ct)
    {
        Log("lynis: the boma machine (after converge)");
        if (_lynisPlain is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(options.StateDir, "lynis-plain.dat"), _lynisPlain.Raw, ct);
        }

        var (passed, evidence, section) = await LynisAudit.MeasureAsync(options.RepoDir, LynisRoot, "the rehearsed askari (systemd-nspawn container)",
            Path.Combine(options.StateDir, "lynis-boma.dat"), LynisPlain, ct);
        if (section is not null)
        {
            _report.Section("Lynis: plain Debian 13 and boma side by side", section);
        }

        _report.Add("lynis", passed, evidence);
    }

    /// <summary>The plain machine's audit (after <see cref="ConvergeAsync"/> with lynisPlain), when it could be had, or why not.</summary>
    internal (LynisResult? Result, string? Error, DateTime? CachedAt) LynisPlain => (_lynisPlain, _lynisPlainError, _lynisPlainCachedAt);

    private Task<ProcessResult> LynisRoot(string script, TimeSpan timeout, CancellationToken ct) => _lab.RootAsync(_config.AdminUser, script, ct, timeout);

    /// <summary>The names of the steps after which NetBird answers through its public name (server and proxy up).</summary>
    internal static readonly string[] NetbirdAnswers = ["netbird-up", "caddy-up"];

    /// <summary>
    /// The deploy's critical path (docs/benchmarks.md): the sequential remote steps from "server ready" (cloud-init done, the first step starts) to
    /// "NetBird answers" (netbird-up and caddy-up done), counted and timed.
    /// </summary>
    private void CriticalPathNote(DeployReport first)
    {
        var path = first.CriticalPath(NetbirdAnswers);
        if (path.Count == 0)
        {
            _report.Note("critical path to \"NetBird answers\": not reached (netbird-up or caddy-up did not run)");
            return;
        }

        var start = first.Ran.Min(s => s.StartedAt);
        var end = path[^1].StartedAt + path[^1].Seconds;
        var commands = path.Count(s => s.Type.EndsWith(":Command", StringComparison.Ordinal));
        static string F(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);
        _report.Note($"critical path, server ready → NetBird answers ({string.Join(" and ", NetbirdAnswers)} done): {path.Count} sequential remote steps " +
            $"({commands} commands, {path.Count - commands} copies), {F(path.Sum(s => s.Seconds))} s in the steps, {F(end - start)} s wall-clock " +
            "from the first step (the rest is the lockout check after each step): " +
            string.Join(" → ", path.Select(s => $"{s.Name} {F(s.Seconds)} s")));
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        // A fresh lab state (a fresh machine and an empty deploy state); the image cache lives elsewhere.
        await _lab.LabAsync(TimeSpan.FromMinutes(2), ct, "down", options.StateDir);
        if (Directory.Exists(options.StateDir))
        {
            Directory.Delete(options.StateDir, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(options.StateDir, "keys"));
        Log("image: cached pristine trixie (debootstrap on first use)");
        await RehearsalRun.Must("image", _lab.LabAsync(TimeSpan.FromMinutes(25), ct, "image"));
        await BuildImagesAsync(ct);
        foreach (var key in new[] { _lab.AdminKey, _lab.BadKey })
        {
            await RehearsalRun.Must("ssh-keygen", LabProcess.RunAsync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "boma-rehearsal", "-f", key], null, Minute, ct));
        }

        // The storage box as the operator prepares it: askari's own key pair, its public half installed at the box
        // (Hetzner: `install-ssh-key`), and the box's host key written down for boma:backup.knownHosts.
        Directory.CreateDirectory(Path.GetDirectoryName(_lab.StorageHostKey)!);
        foreach (var key in new[] { _lab.BackupKey, _lab.StorageHostKey })
        {
            await RehearsalRun.Must("ssh-keygen", LabProcess.RunAsync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "boma-rehearsal", "-f", key], null, Minute, ct));
        }

        await File.WriteAllTextAsync(_lab.StorageAuthorizedKeys, await File.ReadAllTextAsync(_lab.BackupKey + ".pub", ct), ct);
        var hostKey = (await File.ReadAllTextAsync(_lab.StorageHostKey + ".pub", ct)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        _config = RehearsalConfig.Load(Path.Combine(options.RepoDir, "Pulumi.offsite.yaml"),
            await File.ReadAllTextAsync(_lab.AdminKey + ".pub", ct), await File.ReadAllTextAsync(_lab.AdminKey, ct), options.StateDir,
            await File.ReadAllTextAsync(_lab.BackupKey, ct), $"{Lab.StorageKnownHostsName} {hostKey[0]} {hostKey[1]}");
    }

    /// <summary>
    /// The docker-import images and the pkgs.netbird.io repository (rehearsal/doubles/build-images.sh), cached under
    /// the image cache by a hash of everything they are built from, so a warm run only links them.
    /// </summary>
    private async Task BuildImagesAsync(CancellationToken ct)
    {
        var script = Path.Combine(options.RepoDir, "rehearsal", "doubles", "build-images.sh");
        var link = Path.Combine(options.StateDir, "images");
        if (!File.Exists(script))
        {
            _report.Note("rehearsal/doubles/build-images.sh is not there: no NetBird double or Caddy image; the NetBird steps will fail");
            return;
        }

        var sources = Directory.EnumerateFiles(Path.Combine(options.RepoDir, "rehearsal", "doubles"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Append(Path.Combine(options.RepoDir, "config", "NetbirdConfig.cs"))
            .Append(Path.Combine(options.RepoDir, "config", "CaddyConfig.cs"))
            .Order(StringComparer.Ordinal);
        var hash = new System.Text.StringBuilder();
        foreach (var f in sources)
        {
            hash.Append(Path.GetRelativePath(options.RepoDir, f)).Append('\n').Append(HostTemplates.Sha256(await File.ReadAllTextAsync(f, ct))).Append('\n');
        }

        var cached = Path.Combine(options.CacheDir, $"images-{HostTemplates.Sha256(hash.ToString())[..16]}");
        if (!File.Exists(Path.Combine(cached, "images.tsv")))
        {
            Log("images: build-images.sh (NetBird doubles, Caddy from Debian's package, the netbird client repository)");
            var rootfs = Path.Combine(options.StateDir, "images-rootfs");
            Directory.CreateDirectory(rootfs);
            await RehearsalRun.Must("extract minbase", LabProcess.RunAsync(["tar", "-C", rootfs, "--numeric-owner", "-xf", Path.Combine(options.CacheDir, "trixie-minbase.tar")], null, 5 * Minute, ct));
            var building = cached + ".tmp";
            if (Directory.Exists(building))
            {
                Directory.Delete(building, recursive: true);
            }

            await RehearsalRun.Must("build-images.sh", LabProcess.RunAsync(["bash", script, rootfs, building], null, TimeSpan.FromMinutes(20), ct));
            Directory.Move(building, cached);
            await LabProcess.RunAsync(["rm", "-rf", "--one-file-system", rootfs], null, 5 * Minute, ct);
        }

        Directory.CreateSymbolicLink(link, cached);
    }

    private DeployInputs DeployInputsFor() => new()
    {
        Config = _config,
        Ipv4 = Lab.AskariIpv4,
        Ipv6 = Lab.AskariIpv6,
        StateDirectory = Path.Combine(options.StateDir, "deploy"),
        EngineConfig = _config.Values,
        EngineSecretKeys = _config.SecretKeys,
        Parallel = 4,
    };

    private ExecuteHooks Hooks() => new()
    {
        StepStarted = (e, _) =>
        {
            Log($"  step {e.Action.ToString().ToLowerInvariant()}: {e.Name}");
            return Task.CompletedTask;
        },
        AfterStep = async (step, ct) =>
        {
            await LockoutAsync(step.Name, ct);
            await ImportImagesOnceAsync(ct);
        },
    };

    /// <summary>lockout: after a step, the operator can still log in with the admin key.</summary>
    private async Task LockoutAsync(string after, CancellationToken ct)
    {
        var r = await _lab.SshAsync(Lab.Operator, _config.AdminUser, Lab.AskariIpv4, "true", ct, timeout: Minute);
        Interlocked.Increment(ref _lockoutChecks);
        if (!r.Ok)
        {
            lock (_lockouts)
            {
                _lockouts.Add($"after {after}: {r.Tail(1)}");
            }

            throw new InvalidOperationException($"lockout: the operator cannot log in after {after}: {r.Tail(2)}");
        }
    }

    private void AddLockout() =>
        _report.Add("lockout", _lockoutChecks > 0 && _lockouts.Count == 0,
            _lockouts.Count == 0 ? $"the operator logged in after each of {_lockoutChecks} steps" : string.Join("; ", _lockouts));

    /// <summary>
    /// No registry is reachable: once Docker is on askari (the docker bootstrap step), the images the compose files pin
    /// are imported from the tarballs, standing in for the pull `docker compose up` would do.
    /// </summary>
    private async Task ImportImagesOnceAsync(CancellationToken ct)
    {
        if (_imagesImported || !File.Exists(Path.Combine(options.StateDir, "images", "images.tsv")))
        {
            return;
        }

        var probe = await _lab.RootAsync(_config.AdminUser, "command -v docker >/dev/null && systemctl is-active --quiet docker", ct);
        if (!probe.Ok)
        {
            return;
        }

        _imagesImported = true;
        var script = Path.Combine(options.RepoDir, "rehearsal", "lab", "import-images.sh");
        var r = await _lab.RootAsync(_config.AdminUser, await File.ReadAllTextAsync(script, ct), ct, TimeSpan.FromMinutes(10));
        if (!r.Ok)
        {
            throw new InvalidOperationException($"docker import on askari failed: {r.Tail(3)}");
        }

        Log($"  images imported: {r.Stdout.Trim().Replace('\n', ' ')}");

        // ACME is unreachable here: Caddy gets the certificate ACME would have issued (lab CA) in its storage.
        var seed = Path.Combine(options.RepoDir, "rehearsal", "lab", "seed-caddy-certs.sh");
        var names = string.Join(' ', OffsiteServiceNames().Select(s => $"{s}.askari.{_config.Domain}"));
        var c = await _lab.RootAsync(_config.AdminUser, $"export NAMES='{names}'\n" + await File.ReadAllTextAsync(seed, ct), ct, Minute);
        if (!c.Ok)
        {
            throw new InvalidOperationException($"seeding Caddy's certificates on askari failed: {c.Tail(3)}");
        }

        Log($"  Caddy certificates (lab CA) for: {c.Stdout.Trim().Replace('\n', ' ')}");
    }

    /// <summary>boma:offsiteServices as the rehearsal deploys it (the default when unset).</summary>
    private string[] OffsiteServiceNames() =>
        _config.Get("offsiteServices") is { } json ? System.Text.Json.JsonSerializer.Deserialize<string[]>(json) ?? [] : ["netbird", "test"];

    private async Task WaitForCloudInitAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        ProcessResult r;
        do
        {
            r = await _lab.SshAsync(Lab.Operator, _config.AdminUser, Lab.AskariIpv4, "cloud-init status --wait >/dev/null; cloud-init status", ct, timeout: TimeSpan.FromMinutes(3));
            if (r.Ok || r.Stdout.Contains("status: done", StringComparison.Ordinal))
            {
                Log($"cloud-init: {r.Stdout.Trim()}");
                return;
            }

            await Task.Delay(2000, ct);
        }
        while (DateTime.UtcNow < deadline);
        throw new InvalidOperationException($"cloud-init did not let the admin user in within 3 minutes: {r.Tail(3)}");
    }

    private async Task IdempotenceAsync(DeployInputs inputs, SshRemoteShell shell, DeployGraph firstGraph, CancellationToken ct)
    {
        // 1. A second up with the same inputs runs no step.
        var second = await (await DeployRunner.PlanAsync(inputs, ct)).ExecuteAsync(shell, Hooks(), ct);
        _report.AddRun("second up (same inputs)", second);
        var reran = second.Ran.Select(s => s.Name).ToList();
        var noStep = second.Succeeded && reran.Count == 0;
        var parts = new List<string> { noStep ? $"second up: 0 of {second.Steps.Length} steps ran" : $"second up re-ran: {string.Join(", ", reran)} {second.Failure}" };

        // 2. Each bootstrap script, re-run by hand, changes nothing.
        var byHand = true;
        foreach (var step in firstGraph.Steps.Where(s => s.Inputs.GetValueOrDefault("create") as string == HostBootstrap.RunAsRoot))
        {
            var script = step.Inputs.GetValueOrDefault("stdin") as string ?? "";
            var r = await _lab.SshAsync(Lab.Operator, _config.AdminUser, Lab.AskariIpv4, HostBootstrap.RunAsRoot, ct, stdin: script, timeout: TimeSpan.FromMinutes(5));
            var summary = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("summary:", StringComparison.Ordinal)) ?? "(no summary)";
            var ok = r.Ok && summary == "summary: 0 changed";
            byHand &= ok;
            // What changed, in the report: a bare count would send the reader back to a lab that no longer exists.
            var what = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("changed: ", StringComparison.Ordinal)).ToList();
            parts.Add($"{step.Name} by hand: {summary}{(what.Count > 0 ? $" ({string.Join("; ", what)})" : "")}{(r.Ok ? "" : $" exit {r.Exit}")}");
        }

        // 3. A changed template re-runs exactly its step (a comment appended to fail2ban's script template).
        var template = Path.Combine(HostTemplates.Root, "bootstrap", "fail2ban.sh.tmpl");
        var original = await File.ReadAllTextAsync(template, ct);
        bool exactlyOne;
        try
        {
            await File.WriteAllTextAsync(template, original + "# rehearsal: a changed template\n", ct);
            var third = await (await DeployRunner.PlanAsync(inputs, ct)).ExecuteAsync(shell, Hooks(), ct);
            _report.AddRun("third up (fail2ban.sh.tmpl changed)", third);
            var names = third.Ran.Select(s => s.Name).ToList();
            exactlyOne = third.Succeeded && names.Count == 1 && names[0].EndsWith("-fail2ban", StringComparison.Ordinal);
            parts.Add($"changed fail2ban.sh.tmpl re-ran: {(names.Count == 0 ? "nothing" : string.Join(", ", names))}");
        }
        finally
        {
            await File.WriteAllTextAsync(template, original, CancellationToken.None);
        }

        _report.Add("idempotence", noStep && byHand && exactlyOne, string.Join("; ", parts));
    }

    private async Task AccessAsync(string name, CancellationToken ct)
    {
        var user = _config.AdminUser;
        var evidence = new List<string>();
        var ok = true;
        void Expect(bool pass, string what)
        {
            ok &= pass;
            evidence.Add($"{what}: {(pass ? "ok" : "NO")}");
        }

        var admin = await _lab.SshAsync(Lab.Operator, user, Lab.AskariIpv4, "id -un", ct);
        Expect(admin.Ok && admin.Stdout.Trim() == user, "admin key from operator logs in");
        // Password and root logins: the server must not even offer password authentication, and root is refused.
        var password = await LabProcess.RunAsync(["ip", "netns", "exec", Lab.Operator, "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no",
            "-o", "ConnectTimeout=8", $"{user}@{Lab.AskariIpv4}", "true"], null, Minute, ct);
        Expect(!password.Ok && password.Stderr.Contains("Permission denied (publickey)", StringComparison.Ordinal), "password login refused (server offers publickey only)");
        var root = await _lab.SshAsync(Lab.Operator, "root", Lab.AskariIpv4, "true", ct);
        Expect(!root.Ok && root.Stderr.Contains("Permission denied", StringComparison.Ordinal), "root login with the admin key refused");
        var stranger = await _lab.SshAsync(Lab.Stranger, user, Lab.AskariIpv4, "true", ct);
        Expect(!stranger.Ok && !stranger.Stderr.Contains("Permission denied", StringComparison.Ordinal), $"SSH from stranger refused at the firewall ({stranger.Tail(1)})");
        // After enrolment: SSH on the mesh interface (wt0) from the operator's end of the mesh stand-in.
        var mesh = await _lab.RootAsync(user, "ip -4 -o addr show dev wt0 | awk '{print $4}'", ct);
        var cidr = mesh.Stdout.Trim();
        if (mesh.Ok && cidr.Contains('/', StringComparison.Ordinal))
        {
            var ip = cidr.Split('/')[0];
            var octets = ip.Split('.');
            var peer = $"{octets[0]}.{octets[1]}.254.254";
            await Lab.InAsync(Lab.Operator, Minute, ct, "ip", "addr", "replace", $"{peer}/16", "dev", "wt0");
            var overMesh = await _lab.SshAsync(Lab.Operator, user, ip, "true", ct);
            Expect(overMesh.Ok, $"SSH on the mesh interface wt0 ({ip}) accepted");
        }
        else
        {
            Expect(false, $"askari has no mesh address on wt0 ({mesh.Tail(1)})");
        }

        _report.Add(name, ok, string.Join("; ", evidence));
    }

    /// <summary>exposure: what a stranger finds open, against what FirewallPolicy intends (plus nothing Docker publishes).</summary>
    private async Task ExposureAsync(string name, CancellationToken ct)
    {
        var policy = FirewallPolicy.Offsite(Lab.OperatorCidrs);
        var expectedTcp = policy.PortsFor("tcp").Order().ToList();
        var udpPorts = policy.PortsFor("udp").Order().ToList();
        var tcp = await Lab.InAsync(Lab.Stranger, TimeSpan.FromMinutes(6), ct, "nmap", "-n", "-Pn", "-sS", "-p", "1-65535", "--min-rate", "5000",
            "--max-retries", "1", "-oG", "-", Lab.AskariIpv4);
        var openTcp = OpenPorts(tcp.Stdout, "tcp");
        var udp = await Lab.InAsync(Lab.Stranger, TimeSpan.FromMinutes(3), ct, "nmap", "-n", "-Pn", "-sU", "-p", string.Join(',', udpPorts), "--max-retries", "2", "-oG", "-", Lab.AskariIpv4);
        var udpStates = UdpStates(udp.Stdout);
        var tcpOk = tcp.Ok && openTcp.SequenceEqual(expectedTcp);
        // A UDP port with a listener shows open or open|filtered; a closed one answers ICMP unreachable only without the firewall.
        var udpOk = udp.Ok && udpPorts.All(p => udpStates.GetValueOrDefault(p) is "open" or "open|filtered");
        _report.Add(name, tcpOk && udpOk,
            $"nmap from stranger, TCP 1-65535 open: [{string.Join(", ", openTcp)}] (policy: [{string.Join(", ", expectedTcp)}]); " +
            $"UDP {string.Join(", ", udpPorts.Select(p => $"{p}: {udpStates.GetValueOrDefault(p) ?? "?"}"))}; SSH (22) is break-glass only, so closed to stranger");
    }

    internal static List<int> OpenPorts(string grepable, string protocol) =>
        [.. grepable.Split('\n').Where(l => l.Contains("Ports:", StringComparison.Ordinal))
            .SelectMany(l => l[(l.IndexOf("Ports:", StringComparison.Ordinal) + 6)..].Split(',', StringSplitOptions.TrimEntries))
            .Select(p => p.Split('/'))
            .Where(f => f.Length > 2 && f[1] == "open" && f[2] == protocol)
            .Select(f => int.Parse(f[0], CultureInfo.InvariantCulture))
            .Order()];

    private static Dictionary<int, string> UdpStates(string grepable) =>
        grepable.Split('\n').Where(l => l.Contains("Ports:", StringComparison.Ordinal))
            .SelectMany(l => l[(l.IndexOf("Ports:", StringComparison.Ordinal) + 6)..].Split(',', StringSplitOptions.TrimEntries))
            .Select(p => p.Split('/'))
            .Where(f => f.Length > 2 && f[2] == "udp")
            .ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture), f => f[1]);

    /// <summary>services: from the operator, through Caddy, with TLS verified against the lab CA (ACME is unreachable here).</summary>
    private async Task ServicesAsync(string name, CancellationToken ct)
    {
        var fqdn = $"netbird.askari.{_config.Domain}";
        var resolve = $"{fqdn}:443:{Lab.AskariIpv4}";
        // Caddy serves the certificate the lab seeded into its ACME storage; the lab CA is the trust anchor: no -k below.
        var caFile = Path.Combine(options.StateDir, "ca", "ca.pem");
        var evidence = new List<string>();
        var ok = File.Exists(caFile);
        evidence.Add(ok ? "TLS: verified against the lab CA (ACME unreachable in the lab; Caddy's ACME storage seeded)" : "no lab CA");

        async Task Probe(string what, string[] curlArgs, Func<string, bool> pass)
        {
            var r = await Lab.InAsync(Lab.Operator, Minute, ct, ["curl", "-sS", "--max-time", "15", "--cacert", caFile, "--resolve", resolve, "-o", "/dev/null", "-w", "%{http_code} %{http_version}", .. curlArgs]);
            var got = r.Stdout.Trim();
            var passed = pass(got);
            ok &= passed;
            evidence.Add($"{what}: {got}{(passed ? "" : " (unexpected)")}");
        }

        await Probe("dashboard /", [$"https://{fqdn}/"], s => s.StartsWith("200", StringComparison.Ordinal));
        await Probe("/api/users/current without a token", [$"https://{fqdn}/api/users/current"], s => s.StartsWith("401", StringComparison.Ordinal));
        await Probe("gRPC (h2) /management.ManagementService/GetServerKey", ["--http2", "-X", "POST", "-H", "content-type: application/grpc", "--data-binary", "@/dev/null",
            $"https://{fqdn}/management.ManagementService/GetServerKey"], s => s.StartsWith("200 2", StringComparison.Ordinal));
        await Probe("WebSocket /relay upgrade", ["--http1.1", "-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
            "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", $"https://{fqdn}/relay"], s => s.StartsWith("101", StringComparison.Ordinal));
        await Probe("setup path /api/setup refused", ["-X", "POST", $"https://{fqdn}/api/setup"], s => s.StartsWith("403", StringComparison.Ordinal) || s.StartsWith("404", StringComparison.Ordinal));
        _report.Add(name, ok, string.Join("; ", evidence));
    }

    /// <summary>
    /// The failed logins are an attacker's: a user name that does not exist. sshd logs "Invalid user", which the jail's
    /// (default, normal-mode) sshd filter counts; a wrong key for an existing user is only "Connection closed by
    /// authenticating user … [preauth]", which that mode does not count.
    /// </summary>
    private const string Intruder = "intruder";

    /// <summary>fail2ban: failed logins from an address that reaches sshd and is not ignored get banned; operator never.</summary>
    private async Task Fail2banAsync(CancellationToken ct)
    {
        // Who can be banned at all: the firewall lets only boma:breakGlassCidrs and the mesh (wt0) reach sshd, and the
        // jail's ignoreip holds exactly those (break-glass must never lock itself out) plus askari's own addresses
        // (fail2ban's ignoreself), so stranger never reaches sshd and fail2ban is the second line behind the firewall.
        // The jail is shown with a source that reaches sshd and is ignored by nothing: an address outside the mesh
        // range arriving on wt0 (the mesh interface admits any source), routed back over wt0 inside the lab.
        var user = _config.AdminUser;
        var evidence = new List<string>();
        const string Outsider = "198.18.7.66";
        var meshAddr = (await _lab.RootAsync(user, "ip -4 -o addr show dev wt0 | awk '{print $4}'", ct)).Stdout.Trim().Split('/')[0];
        await Lab.InAsync(Lab.Operator, Minute, ct, "ip", "addr", "replace", $"{Outsider}/32", "dev", "wt0");
        await Lab.InAsync(Lab.Askari, Minute, ct, "ip", "route", "replace", $"{Outsider}/32", "dev", "wt0");
        async Task<string> Probe()
        {
            var r = await LabProcess.RunAsync(["ip", "netns", "exec", Lab.Operator, "ssh", .. Lab.SshOptions(_lab.BadKey), "-o", "ConnectTimeout=5", "-b", Outsider,
                $"{Intruder}@{meshAddr}", "true"], null, Minute, ct);
            return r.Stderr.Trim().Split('\n').LastOrDefault() ?? "";
        }

        var first = await Probe();
        for (var i = 0; i < 6; i++)
        {
            await Probe();
        }

        await Task.Delay(3000, ct);
        var status = await _lab.RootAsync(user, "fail2ban-client status sshd | grep -i 'banned ip'; fail2ban-client get sshd bantime", ct);
        var lines = status.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var refusedFirst = first.Contains("Permission denied", StringComparison.Ordinal);
        var banned = lines.Any(l => l.Contains("Banned IP", StringComparison.OrdinalIgnoreCase) && l.Contains(Outsider, StringComparison.Ordinal));
        var bantime = lines.LastOrDefault() ?? "";
        var afterLine = await Probe();
        var blocked = !afterLine.Contains("Permission denied", StringComparison.Ordinal);
        evidence.Add($"failed logins (user {Intruder}) from {Outsider} over the mesh interface to {meshAddr}: first refused by sshd: {(refusedFirst ? "yes" : $"NO ({first})")}; " +
            $"{(banned ? "banned" : "not banned")}, bantime {bantime}s; then sshd unreachable from it: {(blocked ? "yes" : "NO")} ({afterLine})");
        await _lab.RootAsync(user, $"fail2ban-client set sshd unbanip {Outsider} >/dev/null 2>&1 || true", ct);
        await Lab.InAsync(Lab.Askari, Minute, ct, "ip", "route", "del", $"{Outsider}/32", "dev", "wt0");
        await Lab.InAsync(Lab.Operator, Minute, ct, "ip", "addr", "del", $"{Outsider}/32", "dev", "wt0");
        var stranger = await _lab.SshAsync(Lab.Stranger, user, Lab.AskariIpv4, "true", ct, key: _lab.BadKey);
        evidence.Add($"stranger never reaches sshd (the firewall): {(stranger.Ok || stranger.Stderr.Contains("Permission denied", StringComparison.Ordinal) ? "REACHED" : "yes")}");

        // The operator's own address: failures never ban it (ignoreip carries boma:breakGlassCidrs).
        for (var i = 0; i < 6; i++)
        {
            await LabProcess.RunAsync(["ip", "netns", "exec", Lab.Operator, "ssh", .. Lab.SshOptions(_lab.BadKey), "-b", Lab.OperatorIpv4, $"{Intruder}@{Lab.AskariIpv4}", "true"], null, Minute, ct);
        }

        await Task.Delay(3000, ct);
        var after = await _lab.SshAsync(Lab.Operator, user, Lab.AskariIpv4, "true", ct);
        var status2 = await _lab.RootAsync(user, "fail2ban-client status sshd", ct);
        var operatorBanned = status2.Stdout.Contains(Lab.OperatorIpv4, StringComparison.Ordinal) || !after.Ok;
        evidence.Add($"6 failed logins from operator {Lab.OperatorIpv4}: {(operatorBanned ? "BANNED" : "not banned, still logs in")}");
        _report.Add("fail2ban", refusedFirst && banned && bantime == "3600" && blocked && !operatorBanned, string.Join("; ", evidence));
    }

    /// <summary>backup: the unit as the timer starts it, against the storage box; then a restore drill of a wiped store.</summary>
    private async Task BackupAsync(CancellationToken ct)
    {
        var user = _config.AdminUser;
        var evidence = new List<string>();
        var run = await _lab.RootAsync(user, "systemctl start boma-netbird-backup.service; rc=$?; systemctl show -p Result --value boma-netbird-backup.service; " +
            "journalctl -u boma-netbird-backup.service -n 5 --no-pager -o cat; exit $rc", ct, TimeSpan.FromMinutes(5));
        evidence.Add($"systemctl start boma-netbird-backup.service: exit {run.Exit} ({run.Stdout.Split('\n').FirstOrDefault()?.Trim()})");
        var snapshots = await _lab.RootAsync(user, "set -a; . /etc/restic/netbird.env; set +a; restic snapshots --compact | tail -n 3", ct, TimeSpan.FromMinutes(2));
        evidence.Add($"restic snapshots on the storage box: {snapshots.Stdout.Trim().Replace('\n', ' ')}");
        // The drill as an operator runs it: stop the stack, wipe the store, `boma-netbird-restore --apply latest`
        // (without --apply it only verifies). Evidence: each backed-up database's content (sqlite3 .dump) is back.
        var restore = await _lab.RootAsync(user,
            "set -e; cd /opt/boma/netbird; docker compose -p netbird stop >/dev/null 2>&1; " +
            "dir=$(docker volume inspect -f '{{.Mountpoint}}' netbird_netbird_data); " +
            "sums() { for db in store.db idp.db events.db; do [ -e \"$dir/$db\" ] && printf '%s:%s ' $db $(sqlite3 \"$dir/$db\" .dump | sha256sum | cut -c1-12); done; true; }; " +
            "before=$(sums); find \"$dir\" -mindepth 1 -delete; wiped=$(ls -A \"$dir\" | wc -l); " +
            $"{Backup.RestorePath} --apply latest >/dev/null; after=$(sums); " +
            "docker compose -p netbird start >/dev/null; echo \"before: $before\"; echo \"wiped: $wiped files left\"; echo \"after: $after\"; " +
            "[ \"$wiped\" = 0 ] && [ -n \"$before\" ] && [ \"$before\" = \"$after\" ]",
            ct, TimeSpan.FromMinutes(5));
        evidence.Add($"restore drill: exit {restore.Exit}, {restore.Stdout.Trim().Replace('\n', ' ')} {(restore.Ok ? "" : restore.Tail(2))}");
        _report.Add("backup", run.Ok && snapshots.Ok && restore.Ok, string.Join("; ", evidence));
    }

    private async Task RebootAsync(CancellationToken ct)
    {
        var user = _config.AdminUser;
        await _lab.RootAsync(user, "systemctl poweroff", ct);
        var stop = await _lab.LabAsync(TimeSpan.FromMinutes(3), ct, "stop", options.StateDir);
        var boot = await _lab.LabAsync(TimeSpan.FromMinutes(3), ct, "boot", options.StateDir);
        if (!boot.Ok)
        {
            _report.Add("reboot", false, $"askari did not come back: {boot.Tail(2)}");
            return;
        }

        // No manual step: wait for the units and containers to settle, then the same checks again.
        var wait = await _lab.RootAsync(user, "for i in $(seq 1 90); do systemctl is-active --quiet ssh nftables fail2ban docker && " +
            "[ \"$(docker ps -q | wc -l)\" -ge 3 ] && break; sleep 2; done; " +
            "for u in ssh nftables fail2ban docker; do printf '%s=%s ' $u $(systemctl is-active $u); done; " +
            "nft list tables | tr '\\n' ' '; docker ps --format '{{.Names}}' | sort | tr '\\n' ' '", ct, TimeSpan.FromMinutes(4));
        // Break-glass after the reboot, on its own: the operator's SSH from an address inside boma:breakGlassCidrs to
        // askari's public address (not the mesh) logs in, and the stranger is still refused at the firewall.
        var breakGlass = await _lab.SshAsync(Lab.Operator, user, Lab.AskariIpv4, "id -un", ct, extra: ["-b", Lab.OperatorIpv4]);
        var strangerAfter = await _lab.SshAsync(Lab.Stranger, user, Lab.AskariIpv4, "true", ct);
        var breakGlassOk = breakGlass.Ok && breakGlass.Stdout.Trim() == user;
        var strangerRefused = !strangerAfter.Ok && !strangerAfter.Stderr.Contains("Permission denied", StringComparison.Ordinal);
        var breakGlassEvidence = $"break-glass after the reboot: {user} from {Lab.OperatorIpv4} (in boma:breakGlassCidrs {string.Join(" ", Lab.OperatorCidrs)}) " +
            $"to {Lab.AskariIpv4}: {(breakGlassOk ? "logged in" : $"NO ({breakGlass.Tail(1)})")}; stranger {Lab.StrangerIpv4}: {(strangerRefused ? $"refused ({strangerAfter.Tail(1)})" : "REACHED sshd")}";
        var before = _report.Checks.Count;
        await AccessAsync("reboot: access", ct);
        await ExposureAsync("reboot: exposure", ct);
        await ServicesAsync("reboot: services", ct);
        var again = _report.Checks.Skip(before).All(c => c.Passed);
        var up = wait.Stdout.Contains("ssh=active nftables=active fail2ban=active docker=active", StringComparison.Ordinal);
        _report.Add("reboot", stop.Ok && up && again && breakGlassOk && strangerRefused,
            $"poweroff + boot; after boot: {wait.Stdout.Trim()}; {breakGlassEvidence}; access/exposure/services again: {(again ? "pass" : "FAIL")}");
    }

}
