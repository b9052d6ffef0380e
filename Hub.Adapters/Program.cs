using Hub.Adapters;
using Hub.Infrastructure;

// `hash-password`, `backup <file>`, `restore <file>`, `rotate-column-keys`: a maintenance command instead of the host.
if (await HubApp.TryRunCommandAsync(args, [new AdaptersModule()]) is { } exitCode)
    return exitCode;

// Distributed mode: the web host alone (REST, push, SOAP, webhooks, operations view) on :5080.
await HubApp.Build(args, "http://localhost:5080", [new AdaptersModule()]).RunAsync();
return 0;
