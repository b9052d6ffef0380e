using Hub.Simulators;

// The partner simulators on their own, for the distributed mode and load tests.
await SimulatorApp.Build(args, args.SkipWhile(a => a != "--urls").Skip(1).FirstOrDefault() ?? SimulatorApp.DefaultUrl).RunAsync();
