using Hub.Functions;
using Hub.Infrastructure;

// `hash-password`, `backup <file>`, `restore <file>`, `rotate-column-keys`: a maintenance command instead of the host.
if (await HubApp.TryRunCommandAsync(args, [new FunctionsModule()]) is { } exitCode)
    return exitCode;

// Distributed mode: the notification functions alone. Health on :5091 unless --urls says otherwise.
await HubApp.Build(args, "http://localhost:5091", [new FunctionsModule()]).RunAsync();
return 0;
