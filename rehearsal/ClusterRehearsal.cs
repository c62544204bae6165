using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boma.Infra.Cli;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Infra.Rehearsal.Deploy;
using Boma.Infra.Stacks;

namespace Boma.Infra.Rehearsal;

/// <summary>
/// The cluster rehearsal (docs/rehearsal.md, "The cluster rehearsal"): the offsite lab and askari's deploy first (its
/// stack outputs are the setup key and management URL the VMs enrol with), then one Debian 13 machine per role of
/// Pulumi.cluster.yaml on a LAN shaped like boma:network, each booted from the NoCloud seed the plan renders for it,
/// the cluster program's command graph over SSH, and the checks: first boot, converge, idempotence, DNS switch,
/// access, exposure, reboot, lockout.
/// </summary>
internal sealed class ClusterRehearsal(RehearsalOptions options)
{
    /// <summary>The admins' LAN (boma:network.sshSources in the rehearsal): the deploy and the checks run from it.</summary>
    public const string AdminCidr = "192.168.10.0/24";
    public const string AdminGateway = "192.168.10.1/24";
    public const string AdminHost = "192.168.10.10";

    public const string Admin = "brl-admin";
    public const string LanClient = "brl-lanclient";

    /// <summary>The roles rehearsed, one VM each (the first of the role in Pulumi.cluster.yaml).</summary>
    public static readonly string[] Roles = ["dns", "docker"];

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly RehearsalReport _report = new() { Title = "cluster" };
    private readonly List<string> _lockouts = [];
    private int _lockoutChecks;
    private OffsiteRehearsal _offsite = null!;
    private RehearsalConfig _config = null!;
    private ClusterConfig _cluster = null!;
    private List<LabVm> _vms = [];

    private sealed record LabVm(string Name, string Role, string Address);

    public RehearsalReport Report => _report;

    private string StateDir => options.StateDir;

    private string AdminKey => _offsite.Lab.AdminKey;

    private void Log(string line) => options.Log(line);

    public Task<RehearsalReport> RunAsync(CancellationToken ct)
    {
        _offsite = new OffsiteRehearsal(new RehearsalOptions
        {
            RepoDir = options.RepoDir,
            StateDir = options.StateDir,
            CacheDir = options.CacheDir,
            Keep = true,
            Log = options.Log,
            Report = _report,
        });
        return RehearsalRun.GuardAsync(_report, options, () => RunCoreAsync(ct),
            () => _offsite.Lab.LabAsync(TimeSpan.FromMinutes(4), CancellationToken.None, "down", StateDir), ct);
    }

    private async Task RunCoreAsync(CancellationToken ct)
    {
        // 1. The offsite lab up and askari booted. askari's deploy then runs beside the VMs' first boot and their steps
        // that need nothing from the offsite stack: the cluster's StackReference reads askari's outputs only after it.
        var (_, offsiteGraph) = await _offsite.LabUpAsync(ct);
        LoadConfig();
        using var offsiteShell = new SshRemoteShell(["ip", "netns", "exec", Lab.Operator]);
        using var shell = new SshRemoteShell(["ip", "netns", "exec", Admin]);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var offsiteUp = CancelOnFailure(_offsite.ConvergeAsync(offsiteShell, offsiteGraph, "offsite converge", lynisPlain: true, both.Token), r => !r.Succeeded, both);
        var early = CancelOnFailure(EarlyAsync(shell, both.Token), r => !r.Succeeded, both);
        try
        {
            await Task.WhenAll(offsiteUp, early);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // One part failed and cancelled the other: the failed one's exception (if it threw) is the story.
            foreach (var part in new Task[] { offsiteUp, early }.Where(t => t.IsFaulted))
            {
                await part;
            }
        }

        ct.ThrowIfCancellationRequested();
        if (!offsiteUp.IsCompletedSuccessfully || !offsiteUp.Result.Succeeded || !early.IsCompletedSuccessfully || !early.Result.Succeeded)
        {
            if (early.IsCompletedSuccessfully && !early.Result.Succeeded)
            {
                _report.Add("converge", false, $"failed before the offsite outputs existed: {early.Result.Failure}");
            }

            AddLockout();
            return;
        }

        // 3. The whole first `up`, now with the offsite deploy's stack outputs: the steps that ran above are unchanged and
        // skip, as a real `up` skips them; the rest (the coordinator pin, resolvers, mesh enrolment, AIDE) run.
        _offsiteOutputs = offsiteGraph.StackOutputValues ?? throw new InvalidOperationException("the offsite deploy left no stack outputs");
        _offsiteSecrets = [.. (offsiteGraph.StackOutputs ?? new Dictionary<string, string>()).Where(p => p.Value == SecretMasker.Mask).Select(p => p.Key)];
        Log($"cluster: offsite outputs read: {string.Join(", ", _offsiteOutputs.Keys.Order(StringComparer.Ordinal))}");
        var inputs = DeployInputsFor(_offsiteOutputs, _offsiteSecrets, new HashSet<string>());
        var graph = await DeployRunner.PlanAsync(inputs, ct);
        var rest = await graph.ExecuteAsync(shell, Hooks(), ct);
        _report.AddRun("cluster: first up, part 2 (with the offsite outputs)", rest);
        var (converged, evidence) = Converged(early.Result, rest);
        _report.Add("converge", converged, evidence);
        if (!rest.Succeeded)
        {
            AddLockout();
            return;
        }

        await IdempotenceAsync(inputs, shell, graph, ct);
        await DnsSwitchAsync(ct);
        // The audit changes nothing the access and exposure probes look at (sshd, the firewall, open ports) and they
        // change nothing it reads, so it runs beside them: minutes off the budget.
        var lynis = LynisAsync(ct);
        await AccessAsync("access", ct);
        await ExposureAsync("exposure", ct);
        await lynis;
        await RebootAsync(ct);
        AddLockout();
    }

    /// <summary>
    /// While askari deploys: the cluster plan (the seeds need nothing from the offsite stack, so its outputs are
    /// placeholders here), the LAN, one VM per role booted from its seed, first boot checked, then every step that does
    /// not depend on the offsite StackReference (as <c>pulumi up --exclude STACKREF --exclude-dependents</c> would run).
    /// </summary>
    private async Task<DeployReport> EarlyAsync(SshRemoteShell shell, CancellationToken ct)
    {
        var placeholders = PlaceholderOutputs();
        var inputs = DeployInputsFor(placeholders, new HashSet<string> { _cluster.Mesh.SetupKeyOutput }, new HashSet<string> { StackReferenceType });
        var graph = await DeployRunner.PlanAsync(inputs, ct);
        var network = _cluster.Network;
        await RehearsalRun.Must("lan up", _offsite.Lab.LabAsync(Minute, ct, "lan-up", StateDir, $"{network.Gateway}/{network.Subnet.PrefixLength}", AdminGateway, AdminHost, LanClientAddress()));
        foreach (var vm in _vms)
        {
            var seed = Path.Combine(StateDir, "seeds", vm.Name);
            var resolv = WriteSeed(graph, vm, seed);
            await RehearsalRun.Must($"{vm.Name} up", _offsite.Lab.LabAsync(TimeSpan.FromMinutes(3), ct, "vm-up", StateDir, vm.Name,
                $"{vm.Address}/{network.Subnet.PrefixLength}", network.Gateway.ToString(), seed, resolv));
        }

        await Task.WhenAll(_vms.Select(vm => RehearsalRun.Must($"boot {vm.Name}", _offsite.Lab.LabAsync(TimeSpan.FromMinutes(3), ct, "vm-boot", StateDir, vm.Name, vm.Address))));
        await FirstBootAsync(ct);
        var early = await graph.ExecuteAsync(shell, Hooks(), ct);
        _report.AddRun("cluster: first up, part 1 (beside askari's deploy; the StackReference's dependents left out)", early);
        // A placeholder must never reach a VM: only the left-out steps could carry one.
        foreach (var step in graph.Steps.Where(s => early.Steps.Any(r => r.Urn == s.Urn && r.Action != DeployAction.Excluded)))
        {
            if (placeholders.Values.SelectMany(DeployGraph.Strings).Any(p => step.Inputs.Values.OfType<string>().Any(v => v.Contains(p, StringComparison.Ordinal))))
            {
                throw new InvalidOperationException($"{step.Name} ran with a placeholder of the offsite outputs; it must depend on the StackReference");
            }
        }

        return early;
    }

    /// <summary>
    /// lynis on the dns VM after converge and the DNS switch (the resolvers it will keep), side by side with the plain machine (askari's first boot audited, or the
    /// cached audit of the same image: every lab machine boots from it), every finding classified in docs/lynis.md.
    /// </summary>
    private async Task LynisAsync(CancellationToken ct)
    {
        var vm = _vms.FirstOrDefault(v => v.Role == ClusterConfigLoader.DnsRole) ?? _vms[0];
        var machine = $"the rehearsed VM {vm.Name} ({vm.Role} role, systemd-nspawn container)";
        Log($"lynis: {vm.Name} (after converge, beside the access and exposure checks)");
        var took = System.Diagnostics.Stopwatch.StartNew();
        var (passed, evidence, section) = await LynisAudit.MeasureAsync(options.RepoDir, (script, timeout, token) => Root(vm, script, token, timeout), machine,
            Path.Combine(StateDir, $"lynis-{vm.Name}.dat"), _offsite.LynisPlain, ct);
        if (section is not null)
        {
            _report.Section($"Lynis: plain Debian 13 and the {vm.Role} VM side by side", section);
        }

        _report.Add("lynis", passed, $"{evidence}; the audit took {took.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
    }

    /// <summary>The type the first part leaves the dependents of.</summary>
    internal const string StackReferenceType = "pulumi:pulumi:StackReference";

    /// <summary>Stand-ins for the offsite outputs while askari deploys; the steps that read them do not run then.</summary>
    private Dictionary<string, object?> PlaceholderOutputs() => new(StringComparer.Ordinal)
    {
        // The role keys, one per role of the VMs booted.
        [_cluster.Mesh.SetupKeyOutput] = _vms.Select(v => v.Role).Distinct(StringComparer.Ordinal)
            .ToDictionary(role => role, role => (object?)$"REHEARSAL-PLACEHOLDER-KEY-{role}", StringComparer.Ordinal),
        [ClusterOffsiteReference.ManagementUrlOutput] = "https://rehearsal-placeholder.invalid",
        [ClusterOffsiteReference.CoordinatorIpv4Output] = "198.51.100.254",
    };

    /// <summary>
    /// converge over both parts: part 1 ran (exit 0) or left out each step; part 2 ran exactly the steps left out
    /// and skipped exactly the ones that ran — every step ran once, every one exit 0.
    /// </summary>
    internal static (bool Passed, string Evidence) Converged(DeployReport early, DeployReport rest)
    {
        var ran1 = early.Ran.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var left = early.Steps.Where(s => s.Action == DeployAction.Excluded).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var ran2 = rest.Ran.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var skipped2 = rest.Steps.Where(s => s.Action == DeployAction.Skip).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var exits = early.Steps.Concat(rest.Steps).All(s => (s.Exit ?? 0) == 0);
        var firstOnly = early.Ran.All(s => s.Action == DeployAction.Create) && rest.Ran.All(s => s.Action == DeployAction.Create);
        var passed = early.Succeeded && rest.Succeeded && exits && firstOnly && ran2.SetEquals(left) && skipped2.SetEquals(ran1)
            && ran1.Count + left.Count == early.Steps.Length;
        if (!early.Succeeded || !rest.Succeeded)
        {
            return (false, $"failed: {early.Failure ?? rest.Failure}");
        }

        return (passed, $"{ran1.Count} steps ran beside askari's deploy, {ran2.Count} after its outputs existed ({string.Join(", ", ran2.Order(StringComparer.Ordinal))}); " +
            (passed ? "every step ran once, every one exit 0" : $"not once each: part 2 ran {string.Join(", ", ran2.Except(left))} again, skipped {string.Join(", ", skipped2.Except(ran1))}; left out {string.Join(", ", left.Except(ran2))} never ran"));
    }

    private static async Task<T> CancelOnFailure<T>(Task<T> task, Func<T, bool> failed, CancellationTokenSource others)
    {
        try
        {
            var result = await task;
            if (failed(result))
            {
                await others.CancelAsync();
            }

            return result;
        }
        catch
        {
            await others.CancelAsync();
            throw;
        }
    }

    private string LanClientAddress()
    {
        var subnet = _cluster.Network.Subnet;
        var bytes = subnet.Network.GetAddressBytes();
        bytes[3] = (byte)(bytes[3] + LanClientHostOffset);
        return new System.Net.IPAddress(bytes).ToString();
    }

    /// <summary>A client on the server network outside sshSources (the exposure scan's source): host .200 of the subnet.</summary>
    private const int LanClientHostOffset = 200;

    /// <summary>
    /// Pulumi.cluster.yaml as the operator wrote it, with only what the lab must give replaced (docs/rehearsal.md):
    /// the offsite lab's domain, the lab's admin key pair, a stand-in Proxmox token, sshSources = the admins' LAN (so a
    /// client on the server network is outside it), one VM per role, and boma:network.dns = the booted dns VMs.
    /// </summary>
    private void LoadConfig()
    {
        var file = StackConfigFile.Load(Path.Combine(options.RepoDir, "Pulumi.cluster.yaml"), StackCatalogue.Find(ClusterStack.Name)!.SecretKeys);
        var values = new Dictionary<string, string>(file.Values, StringComparer.Ordinal);
        var secrets = new HashSet<string>(file.SecretKeys, StringComparer.Ordinal);
        var offsiteConfig = _offsite.Config;
        var domain = offsiteConfig.Domain;
        values[ConfigKeys.Full("domain")] = domain;
        values[ConfigKeys.Full(ConfigKeys.AdminUser)] = offsiteConfig.AdminUser;
        values[ConfigKeys.Full(ConfigKeys.AdminPublicKey)] = offsiteConfig.Get(ConfigKeys.AdminPublicKey)!;
        values[ConfigKeys.Full(ConfigKeys.SshPrivateKey)] = offsiteConfig.Get(ConfigKeys.SshPrivateKey)!;
        secrets.Add(ConfigKeys.Full(ConfigKeys.SshPrivateKey));
        // No Proxmox is reached: the mocks answer for it and never read this.
        values[ConfigKeys.Full(ClusterConfigLoader.ApiTokenKey)] = "rehearsal@pve!never=00000000-0000-0000-0000-000000000000";
        secrets.Add(ConfigKeys.Full(ClusterConfigLoader.ApiTokenKey));

        var vms = JsonNode.Parse(values[ConfigKeys.Full("vms")])!.AsArray();
        var perRole = new JsonArray();
        // The issue's roles: dns and docker (the storage role opens no port either and would add a third VM's
        // hardening to a 2-core budget).
        foreach (var vm in vms.Where(v => v is not null).GroupBy(v => (string)v!["role"]!, StringComparer.Ordinal).Select(g => g.First()!)
            .Where(v => Roles.Contains((string)v["role"]!)))
        {
            perRole.Add(vm.DeepClone());
        }

        values[ConfigKeys.Full("vms")] = perRole.ToJsonString();
        var network = JsonNode.Parse(values[ConfigKeys.Full("network")])!.AsObject();
        network["sshSources"] = new JsonArray(AdminCidr);
        network["dns"] = new JsonArray([.. perRole.Where(v => (string)v!["role"]! == ClusterConfigLoader.DnsRole).Select(v => JsonValue.Create((string)v!["address"]!))]);
        values[ConfigKeys.Full("network")] = network.ToJsonString();
        var mesh = values.TryGetValue(ConfigKeys.Full("mesh"), out var meshJson) ? JsonNode.Parse(meshJson)!.AsObject() : [];
        mesh["dnsDomain"] = offsiteConfig.Get("netbird") is { } nb && RehearsalConfig.JsonNodeOrNull(nb)?["meshDnsDomain"] is JsonValue dd ? (string?)dd : $"boma.{domain}";
        values[ConfigKeys.Full("mesh")] = mesh.ToJsonString();

        _config = RehearsalConfig.FromValues(values, secrets);
        _cluster = ClusterConfigLoader.Load(_config);
        _vms = [.. _cluster.Vms.Select(v => new LabVm(v.Name, v.Role, v.Address.ToString()))];

        Log($"cluster: {string.Join(", ", _vms.Select(v => $"{v.Name} ({v.Role}) {v.Address}"))}");
    }

    private IReadOnlyDictionary<string, object?> _offsiteOutputs = new Dictionary<string, object?>();
    private HashSet<string> _offsiteSecrets = [];

    private DeployInputs DeployInputsFor(IReadOnlyDictionary<string, object?> offsiteOutputs, IReadOnlySet<string> offsiteSecrets, IReadOnlySet<string> excludeDependentsOf) => new()
    {
        Config = _config,
        // Not used by the cluster program (no hcloud server); DeployInputs requires an address.
        Ipv4 = _vms[0].Address,
        StateDirectory = Path.Combine(StateDir, "cluster-deploy"),
        EngineConfig = _config.Values,
        EngineSecretKeys = _config.SecretKeys,
        Parallel = 4,
        Stack = ClusterStack.Name,
        Program = config => ClusterStack.Run(config).Outputs,
        StackReferenceOutputs = offsiteOutputs,
        StackReferenceSecrets = offsiteSecrets,
        ExcludeDependentsOf = excludeDependentsOf,
    };

    /// <summary>
    /// The NoCloud seed Proxmox's cloud-init drive would carry for <paramref name="vm"/>, from the VM's registered
    /// <c>initialization</c> block: user-data (the user, its key, host name), the vendor-data snippet, meta-data; and the
    /// resolv.conf its network config names (the first-boot resolvers and the search domain). Returns that file's path.
    /// </summary>
    private string WriteSeed(DeployGraph graph, LabVm vm, string dir) =>
        WriteSeed(graph, vm.Name, dir, Path.Combine(StateDir, "seeds", $"{vm.Name}.resolv.conf"));

    /// <inheritdoc cref="WriteSeed(DeployGraph, LabVm, string)" />
    internal static string WriteSeed(DeployGraph graph, string vmName, string dir, string resolv)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Directory.CreateDirectory(dir);
        var vm = new { Name = vmName };
        var resource = graph.CloudResources.Single(r => r.Type == "proxmoxve:index/vmLegacy:VmLegacy" && (string?)r.Inputs["name"] == vm.Name);
        var init = resource.Inputs["initialization"]!.AsObject();
        var user = (string)init["userAccount"]!["username"]!;
        var keys = init["userAccount"]!["keys"]!.AsArray().Select(k => (string)k!).ToList();
        var searchDomain = (string)init["dns"]!["domain"]!;
        var servers = init["dns"]!["servers"]!.AsArray().Select(s => (string)s!).ToList();
        var vendorId = (string)init["vendorDataFileId"]!;
        var vendor = graph.CloudResources.Single(r => r.Type == "proxmoxve:index/fileLegacy:FileLegacy" && vendorId == $"local:{r.Name}");
        var userData = new StringBuilder("#cloud-config\n");
        userData.Append(CultureInfo.InvariantCulture, $"hostname: {vm.Name}\nfqdn: {vm.Name}.{searchDomain}\nmanage_etc_hosts: true\nuser: {user}\n");
        userData.Append("ssh_authorized_keys:\n");
        foreach (var key in keys)
        {
            // YAML single quotes: the key's characters stay as they are ('' is a quote).
            userData.Append(CultureInfo.InvariantCulture, $"  - '{key.Replace("'", "''", StringComparison.Ordinal)}'\n");
        }

        userData.Append("chpasswd:\n  expire: false\n");
        File.WriteAllText(Path.Combine(dir, "user-data"), userData.ToString());
        File.WriteAllText(Path.Combine(dir, "vendor-data"), (string)vendor.Inputs["sourceRaw"]!["data"]!);
        File.WriteAllText(Path.Combine(dir, "meta-data"), $"instance-id: boma-rehearsal-{vm.Name}-{DateTime.UtcNow.Ticks}\nlocal-hostname: {vm.Name}\n");
        File.WriteAllText(resolv, $"search {searchDomain}\n" + string.Concat(servers.Select(s => $"nameserver {s}\n")));
        return resolv;
    }

    private Task<ProcessResult> Ssh(string ns, string user, LabVm vm, string command, CancellationToken ct, string? key = null, string? stdin = null, TimeSpan? timeout = null) =>
        _offsite.Lab.SshAsync(ns, user, vm.Address, command, ct, key ?? AdminKey, stdin, timeout);

    private Task<ProcessResult> Root(LabVm vm, string command, CancellationToken ct, TimeSpan? timeout = null) =>
        Ssh(Admin, _cluster.Admin.User, vm, HostBootstrap.RunAsRoot, ct, stdin: command + "\n", timeout: timeout);

    /// <summary>
    /// first boot: cloud-init finished from the seed; the vendor data's packages came in (apt at first boot); names
    /// resolve through the first-boot resolvers (boma:network.bootstrapDns) while the DNS VMs serve nothing.
    /// </summary>
    private async Task FirstBootAsync(CancellationToken ct)
    {
        var evidence = new List<string>();
        var ok = true;
        foreach (var vm in _vms)
        {
            var r = await Ssh(Admin, _cluster.Admin.User, vm,
                // Polled, not `status --wait`: run 2 saw --wait hang on a VM whose status already read error.
                "for i in $(seq 1 90); do cloud-init status 2>/dev/null | grep -q 'status: running' || break; sleep 2; done; cloud-init status --long | grep -E '^(status|errors|recoverable_errors):|^\\s+- ' | tr '\\n' ' '; echo; " +
                "dpkg-query -W -f '${Status}' qemu-guest-agent 2>/dev/null; echo; grep nameserver /etc/resolv.conf | tr '\\n' ' '; echo; " +
                // One line each, even when a command prints nothing (getent's own newline would shift the rest).
                "printf '%s\\n' \"$(getent ahostsv4 pkgs.netbird.io | head -1)\"; " +
                "test -e /dev/virtio-ports/org.qemu.guest_agent.0 && echo virtio-port || echo no-virtio-port; " +
                $"for s in {string.Join(' ', _cluster.Network.DnsServers)}; do timeout 3 bash -c \"exec 3<>/dev/tcp/$s/53\" 2>/dev/null && echo \"$s:53 answers\" || echo \"$s:53 silent\"; done | tr '\\n' ' '",
                ct, timeout: TimeSpan.FromMinutes(4));
            var lines = r.Stdout.Split('\n');
            string Line(int i) => lines.Length > i ? lines[i].Trim() : "";
            var status = Line(0);
            var agent = Line(1);
            var resolves = Line(3).Length > 0;
            // The vendor data's one runcmd starts the QEMU guest agent, which binds to the virtio port Proxmox gives a VM;
            // a container has none, so that start fails here and only here: cloud-init then reports exactly that error.
            var onlyAgent = status.Contains("status: error", StringComparison.Ordinal)
                && status.Contains("Runparts: 1 failures (runcmd) in 1 attempted commands", StringComparison.Ordinal)
                && Line(4).StartsWith("no-virtio-port", StringComparison.Ordinal);
            var cloudInit = status.Contains("status: done", StringComparison.Ordinal) || onlyAgent;
            // cloud-init's packages ran (apt at first boot) and the VM resolves names with its first-boot resolvers.
            // And all that while no DNS VM answers on 53 yet: the first-boot resolvers did it, not boma:network.dns.
            var dnsSilent = Line(5).Contains("silent", StringComparison.Ordinal) && !Line(5).Contains("answers", StringComparison.Ordinal);
            var pass = r.Ok && cloudInit && agent.Contains("installed", StringComparison.Ordinal) && resolves && dnsSilent;
            ok &= pass;
            var statusLine = status.Split(" recoverable_errors:")[0];
            evidence.Add($"{vm.Name}: cloud-init [{statusLine}]{(onlyAgent ? " (the guest agent's start: no virtio port in a container)" : "")}, " +
                $"qemu-guest-agent [{agent}], resolvers [{Line(2)}], pkgs.netbird.io [{(resolves ? Line(3) : "does not resolve")}], DNS VMs [{Line(5)}]{(r.Ok ? "" : $" ssh exit {r.Exit} {r.Tail(1)}")}");
        }

        _report.Add("first boot", ok, string.Join("; ", evidence));
    }

    private ExecuteHooks Hooks() => new()
    {
        StepStarted = (e, _) =>
        {
            Log($"  step {e.Action.ToString().ToLowerInvariant()}: {e.Name}");
            return Task.CompletedTask;
        },
        AfterStep = (step, ct) => LockoutAsync(step.Name, ct),
    };

    /// <summary>lockout: after a VM's step, the admin can still log in to that VM from the admins' LAN.</summary>
    private async Task LockoutAsync(string after, CancellationToken ct)
    {
        var vm = _vms.FirstOrDefault(v => after.StartsWith(v.Name + "-", StringComparison.Ordinal));
        if (vm is null)
        {
            return;
        }

        // A refusal fails at once; a login that only waited (exit 124, see DnsSwitchAsync) gets one longer try.
        var waited = new List<string>();
        var r = await Patient(t => Ssh(Admin, _cluster.Admin.User, vm, "true", ct, timeout: t), $"{vm.Name}: the admin's login after {after}", waited);
        foreach (var line in waited)
        {
            Log($"lockout: {line}");
        }

        Interlocked.Increment(ref _lockoutChecks);
        if (!r.Ok)
        {
            lock (_lockouts)
            {
                _lockouts.Add($"after {after}: {r.Tail(1)}");
            }

            throw new InvalidOperationException($"lockout: the admin cannot log in to {vm.Name} after {after}: {r.Tail(2)}");
        }
    }

    private void AddLockout() =>
        _report.Add("lockout", _lockoutChecks > 0 && _lockouts.Count == 0,
            _lockouts.Count == 0 ? $"the admin logged in to the VM after each of {_lockoutChecks} steps" : string.Join("; ", _lockouts));

    private async Task IdempotenceAsync(DeployInputs inputs, SshRemoteShell shell, DeployGraph firstGraph, CancellationToken ct)
    {
        var second = await (await DeployRunner.PlanAsync(inputs, ct)).ExecuteAsync(shell, Hooks(), ct);
        _report.AddRun("cluster: second up (same inputs)", second);
        var reran = second.Ran.Select(s => s.Name).ToList();
        var noStep = second.Succeeded && reran.Count == 0;
        var parts = new List<string> { noStep ? $"second up: 0 of {second.Steps.Length} steps ran" : $"second up re-ran: {string.Join(", ", reran)} {second.Failure}" };

        // Each bootstrap script, re-run by hand on its VM, changes nothing.
        var byHand = true;
        var changedSteps = new List<string>();
        var count = 0;
        foreach (var step in firstGraph.Steps.Where(s => s.Inputs.GetValueOrDefault("create") as string == HostBootstrap.RunAsRoot))
        {
            var vm = _vms.First(v => step.Name.StartsWith(v.Name + "-", StringComparison.Ordinal));
            var script = step.Inputs.GetValueOrDefault("stdin") as string ?? "";
            var r = await Ssh(Admin, _cluster.Admin.User, vm, HostBootstrap.RunAsRoot, ct, stdin: script, timeout: TimeSpan.FromMinutes(5));
            var summary = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("summary:", StringComparison.Ordinal)) ?? "(no summary)";
            count++;
            if (!r.Ok || summary != "summary: 0 changed")
            {
                byHand = false;
                var what = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("changed: ", StringComparison.Ordinal));
                changedSteps.Add($"{step.Name}: {summary} ({string.Join("; ", what)}){(r.Ok ? "" : $" exit {r.Exit} {r.Tail(1)}")}");
            }
        }

        parts.Add(byHand ? $"each of {count} bootstrap scripts re-run by hand: summary: 0 changed" : $"by hand: {string.Join("; ", changedSteps)}");
        _report.Add("idempotence", noStep && byHand, string.Join("; ", parts));
    }

    /// <summary>
    /// DNS switch: the role's DNS service (installed by the cluster's Ansible roles, not by this program) starts on the
    /// dns VMs — a dnsmasq double in each dns VM's network namespace, forwarding to the lab — and every VM's
    /// boma-dns-switch then moves it from the first-boot resolvers to boma:network.dns; names still resolve.
    /// </summary>
    private async Task DnsSwitchAsync(CancellationToken ct)
    {
        foreach (var vm in _vms.Where(v => v.Role == ClusterConfigLoader.DnsRole))
        {
            await RehearsalRun.Must($"dns double on {vm.Name}", LabProcess.RunAsync(["ip", "netns", "exec", $"brl-vm-{vm.Name}", "dnsmasq", "--no-resolv", "--no-hosts",
                "--conf-file=/dev/null", $"--pid-file={Path.Combine(StateDir, "pids", $"dns-{vm.Name}.pid")}", "--user=root", $"--listen-address={vm.Address}",
                "--bind-interfaces", "--server=198.18.6.10"], null, Minute, ct));
        }

        var evidence = new List<string>();
        var ok = true;
        foreach (var vm in _vms)
        {
            // A login can wait on the VM's user manager, which systemd stops 10 s after the admin's last session and which
            // in the container once took its whole 120 s stop timeout: one longer try, said in the evidence (as for the
            // access probes). A switch the first try made before it timed out reads "unchanged" on the second.
            var retried = new List<string>();
            var r = await Patient(t => Root(vm, "boma-dns-switch; grep nameserver /etc/resolv.conf | tr '\\n' ' '; echo; getent hosts pkgs.netbird.io | head -1", ct, t),
                $"{vm.Name}: the switch", retried);
            var lines = r.Stdout.Split('\n');
            var switched = lines[0].StartsWith("switched:", StringComparison.Ordinal)
                || (retried.Count > 0 && lines[0].StartsWith("unchanged: resolvers are boma:network.dns", StringComparison.Ordinal));
            var pass = r.Ok && switched && lines.Length > 2 && lines[2].Trim().Length > 0;
            ok &= pass;
            evidence.AddRange(retried);
            evidence.Add($"{vm.Name}: {string.Join(" | ", lines.Select(l => l.Trim()).Where(l => l.Length > 0))}{(r.Ok ? "" : $" exit {r.Exit} {r.Tail(1)}")}");
        }

        _report.Add("dns switch", ok, string.Join("; ", evidence));
    }

    private async Task AccessAsync(string name, CancellationToken ct)
    {
        var user = _cluster.Admin.User;
        var evidence = new List<string>();
        var ok = true;
        void Expect(bool pass, string what)
        {
            ok &= pass;
            evidence.Add($"{what}: {(pass ? "ok" : "NO")}");
        }

        foreach (var vm in _vms)
        {
            var admin = await Patient(t => Ssh(Admin, user, vm, "id -un", ct, timeout: t), $"{vm.Name}: the admin's login", evidence);
            Expect(admin.Ok && admin.Stdout.Trim() == user, $"{vm.Name}: admin key from the admins' LAN ({AdminCidr}, sshSources) logs in{(admin.Ok ? "" : $" (exit {admin.Exit}: {admin.Tail(1)})")}");
            var password = await LabProcess.RunAsync(["ip", "netns", "exec", Admin, "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no",
                "-o", "ConnectTimeout=8", $"{user}@{vm.Address}", "true"], null, Minute, ct);
            Expect(!password.Ok && password.Stderr.Contains("Permission denied (publickey)", StringComparison.Ordinal), $"{vm.Name}: password login refused");
            var root = await Ssh(Admin, "root", vm, "true", ct);
            Expect(!root.Ok && root.Stderr.Contains("Permission denied", StringComparison.Ordinal), $"{vm.Name}: root refused");
            var lan = await Ssh(LanClient, user, vm, "true", ct);
            Expect(!lan.Ok && !lan.Stderr.Contains("Permission denied", StringComparison.Ordinal), $"{vm.Name}: SSH from a LAN client outside sshSources refused at the firewall ({lan.Tail(1)})");
            // The mesh: SSH on wt0 from the admins' end of the VM's mesh stand-in.
            var mesh = await Patient(t => Root(vm, "ip -4 -o addr show dev wt0 | awk '{print $4}'", ct, t), $"{vm.Name}: the mesh address query", evidence);

            var cidr = mesh.Stdout.Trim();
            if (mesh.Ok && cidr.Contains('/', StringComparison.Ordinal))
            {
                var ip = cidr.Split('/')[0];
                var octets = ip.Split('.');
                var peer = $"{octets[0]}.{octets[1]}.254.254";
                await Lab.InAsync(Admin, Minute, ct, "ip", "addr", "replace", $"{peer}/32", "dev", $"wt-{vm.Name}");
                await Lab.InAsync(Admin, Minute, ct, "ip", "route", "replace", $"{ip}/32", "dev", $"wt-{vm.Name}", "src", peer);
                var overMesh = await LabProcess.RunAsync(["ip", "netns", "exec", Admin, "ssh", .. Lab.SshOptions(AdminKey), "-b", peer, $"{user}@{ip}", "true"], null, Minute, ct);
                Expect(overMesh.Ok, $"{vm.Name}: SSH on the mesh interface wt0 ({ip}) accepted");
            }
            else
            {
                Expect(false, $"{vm.Name}: no mesh address on wt0 ({mesh.Tail(1)})");
            }
        }

        _report.Add(name, ok, string.Join("; ", evidence));
    }

    /// <summary>exposure: from a LAN client outside sshSources, exactly the role's ports are open (dns: 53/tcp and 53/udp).</summary>
    private async Task ExposureAsync(string name, CancellationToken ct)
    {
        var evidence = new List<string>();
        var ok = true;
        foreach (var vm in _vms)
        {
            var policy = FirewallPolicy.ForClusterRole(vm.Role, _cluster.Network.SshSources, _cluster.Network.Subnet.ToString());
            var expectedTcp = policy.PortsFor("tcp").Order().ToList();
            var expectedUdp = policy.PortsFor("udp").Order().ToList();
            var tcp = await Lab.InAsync(LanClient, TimeSpan.FromMinutes(6), ct, "nmap", "-n", "-Pn", "-sS", "-p", "1-65535", "--min-rate", "5000",
                "--max-retries", "1", "-oG", "-", vm.Address);
            var openTcp = OffsiteRehearsal.OpenPorts(tcp.Stdout, "tcp");
            // UDP: 53 on every VM (open where the role serves it, closed or filtered elsewhere).
            var udp = await Lab.InAsync(LanClient, TimeSpan.FromMinutes(3), ct, "nmap", "-n", "-Pn", "-sU", "-p", "53", "--max-retries", "2", "-oG", "-", vm.Address);
            var openUdp = OffsiteRehearsal.OpenPorts(udp.Stdout, "udp");
            var pass = tcp.Ok && udp.Ok && openTcp.SequenceEqual(expectedTcp) && openUdp.SequenceEqual(expectedUdp);
            ok &= pass;
            evidence.Add($"{vm.Name} ({vm.Role}): TCP open [{string.Join(", ", openTcp)}] (policy [{string.Join(", ", expectedTcp)}]), UDP 53 open: {(openUdp.Count > 0 ? "yes" : "no")} (policy [{string.Join(", ", expectedUdp)}])");
        }

        _report.Add(name, ok, $"nmap from a LAN client outside sshSources ({LanClientAddress()}), TCP 1-65535 and UDP 53: " + string.Join("; ", evidence));
    }

    /// <summary>
    /// A probe that must succeed, run with the usual 60 s and, only when that timed out (the ssh process, not a refusal),
    /// once more with 3 minutes; the evidence says so. Runs 3 and 4 each saw one such probe outlast 60 s at load 10–16.
    /// </summary>
    private static async Task<ProcessResult> Patient(Func<TimeSpan, Task<ProcessResult>> probe, string what, List<string> evidence)
    {
        var first = await probe(Minute);
        if (first.Ok || first.Exit != 124)
        {
            return first;
        }

        var again = await probe(TimeSpan.FromMinutes(3));
        evidence.Add($"{what} timed out after 60 s once; again: {(again.Ok ? "answered" : "failed")} after {again.Seconds:0} s");
        return again;
    }

    private async Task RebootAsync(CancellationToken ct)
    {
        var evidence = new List<string>();
        var up = true;
        foreach (var vm in _vms)
        {
            await Root(vm, "systemctl poweroff", ct);
        }

        foreach (var vm in _vms)
        {
            var stop = await _offsite.Lab.LabAsync(TimeSpan.FromMinutes(3), ct, "vm-stop", StateDir, vm.Name);
            var boot = await _offsite.Lab.LabAsync(TimeSpan.FromMinutes(3), ct, "vm-boot", StateDir, vm.Name, vm.Address);
            if (!stop.Ok || !boot.Ok)
            {
                up = false;
                evidence.Add($"{vm.Name} did not come back: {boot.Tail(2)}");
            }
        }

        foreach (var vm in _vms)
        {
            var wait = await Root(vm, "for i in $(seq 1 90); do systemctl is-active --quiet ssh nftables fail2ban netbird && break; sleep 2; done; " +
                "for u in ssh nftables fail2ban netbird boma-dns-switch.timer; do printf '%s=%s ' $u $(systemctl is-active $u); done", ct, TimeSpan.FromMinutes(4));
            up &= wait.Stdout.Contains("ssh=active nftables=active fail2ban=active netbird=active", StringComparison.Ordinal);
            evidence.Add($"{vm.Name}: {wait.Stdout.Trim()}");
        }

        var before = _report.Checks.Count;
        await AccessAsync("reboot: access", ct);
        await ExposureAsync("reboot: exposure", ct);
        var again = _report.Checks.Skip(before).All(c => c.Passed);
        _report.Add("reboot", up && again, $"poweroff + boot of every VM; after boot: {string.Join("; ", evidence)}; access/exposure again: {(again ? "pass" : "FAIL")}");
    }
}
