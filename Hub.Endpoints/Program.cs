using Hub.Endpoints;
using Hub.Infrastructure;

// Distributed mode: the CRM endpoints alone. Health on :5090 unless --urls says otherwise.
await HubApp.Build(args, "http://localhost:5090", [new EndpointsModule()]).RunAsync();
