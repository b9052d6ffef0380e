using Hub.Embedded;
using Hub.Infrastructure;
using Hub.Persistence;
using Microsoft.Extensions.DependencyInjection;

// `hash-password`, `backup <file>`, `restore <file>`, `rotate-column-keys`: a maintenance command instead of the hub.
if (await HubApp.TryRunCommandAsync(args, [new Hub.Endpoints.EndpointsModule(), new Hub.Adapters.AdaptersModule(), new Hub.Functions.FunctionsModule()]) is { } exitCode)
    return exitCode;

// The embedded default: the whole hub in one process. Ctrl+C stops it.
await using var hub = await EmbeddedHub.StartAsync(args);
Console.WriteLine($"CRM hub running on {EmbeddedHub.AddressOf(hub.Hub)} (REST /api, SOAP /soap/erp, ops /ops, health /health/ready)");
if (hub.DemoPassword is not null)
{
    // Into an owner-only file, not the console: output is often captured into logs.
    var file = OwnerOnlyFile.BesideStore(hub.Hub.Services.GetRequiredService<HubStoreOptions>(), "demo-password.txt");
    OwnerOnlyFile.Write(file, hub.DemoPassword + Environment.NewLine);
    Console.WriteLine($"Demo users {string.Join(", ", EmbeddedHub.DemoUsers.Select(u => $"{u.UserId} ({u.Role}, phone {u.Phone})"))}; "
        + $"the password for this run is in {file}");
}
await hub.Hub.WaitForShutdownAsync();
return 0;
