using Hub.Adapters;
using Hub.Infrastructure;

// `hash-password`: prints the hash of a password for Ops:Users:<name>:PasswordHash, then exits.
if (args is ["hash-password", ..])
    return Hub.Infrastructure.Access.PasswordDigest.RunCommand(args);

// Distributed mode: the web host alone (REST, push, SOAP, webhooks, operations view) on :5080.
await HubApp.Build(args, "http://localhost:5080", [new AdaptersModule()]).RunAsync();
return 0;
