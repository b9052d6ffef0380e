using Hub.Endpoints;
using Hub.Infrastructure;

// `hash-password`, `backup <file>`, `restore <file>`, `rotate-column-keys`: a maintenance command instead of the host.
if (await HubApp.TryRunCommandAsync(args, [new EndpointsModule()]) is { } exitCode)
    return exitCode;

// Distributed mode: the CRM endpoints alone. Health on :5090 unless --urls says otherwise.
await HubApp.Build(args, "http://localhost:5090", [new EndpointsModule()]).RunAsync();
return 0;
