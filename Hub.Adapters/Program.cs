using Hub.Adapters;
using Hub.Infrastructure;

// Distributed mode: the web host alone (REST, push, SOAP, webhooks, operations view) on :5080.
await HubApp.Build(args, "http://localhost:5080", [new AdaptersModule()]).RunAsync();
