// Entry point: under `pulumi` it runs a stack; otherwise it runs a verb (plan, runbook, guard).
return await Boma.Infra.Cli.Entry.RunAsync(args);
