using Hub.Functions;
using Hub.Infrastructure;

// Distributed mode: the notification functions alone. Health on :5091 unless --urls says otherwise.
await HubApp.Build(args, "http://localhost:5091", [new FunctionsModule()]).RunAsync();
