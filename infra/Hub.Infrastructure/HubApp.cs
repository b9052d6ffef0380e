using Hub.Infrastructure.Access;
using Hub.Infrastructure.Audit;
using Hub.Infrastructure.Messaging;
using Hub.Infrastructure.Monitoring;
using Hub.Infrastructure.Telemetry;
using Hub.Infrastructure.Web;

using Hub.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hub.Infrastructure;

/// <summary>
/// The one composition root every host shares: options, store, bus, health, telemetry, problem
/// details and logging are wired here once, then each module adds its own part.
/// </summary>
public static class HubApp
{
    /// <summary>
    /// Runs a maintenance command instead of a host when <paramref name="args"/> begins with one: <c>hash-password</c>,
    /// <c>backup &lt;file&gt;</c>, <c>restore &lt;file&gt;</c> (the store from the same settings the host would use:
    /// appsettings.json, environment, the options after the command), <c>rotate-column-keys</c> (re-encrypts the encrypted
    /// columns of <paramref name="modules"/>' store models to the active keys). Null: no command, start the host.
    /// </summary>
    public static async Task<int?> TryRunCommandAsync(string[] args, IReadOnlyList<IHubModule>? modules = null)
    {
        switch (args)
        {
            case ["hash-password", ..]:
                return PasswordDigest.RunCommand(args);
            case ["backup" or "restore", ..]:
                var config = new ConfigurationBuilder().SetBasePath(Directory.GetCurrentDirectory()).AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables()
                    .AddCommandLine(args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray()).Build();
                var hub = config.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();
                return await HubStoreBackup.RunCommandAsync(args, new HubStoreOptions
                {
                    Provider = hub.Store, SqlitePath = hub.SqlitePath, PostgresConnectionString = hub.PostgresConnectionString,
                });
            case ["rotate-column-keys", ..]:
                return await ColumnKeyRotationCommand.RunAsync(args, modules ?? []);
            default:
                return null;
        }
    }

    /// <summary>
    /// Builds a hub web application hosting <paramref name="modules"/>. <paramref name="defaultUrl"/>
    /// applies unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise.
    /// </summary>
    public static WebApplication Build(string[] args, string defaultUrl, IReadOnlyList<IHubModule> modules,
        Action<WebApplicationBuilder>? configure = null)
    {
        // MassTransit 8.4 reports usage over HTTP unless told not to; this network has no such peer.
        Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");

        var builder = WebApplication.CreateBuilder(args);
        var urls = builder.Configuration["urls"] is { Length: > 0 } configured ? configured : defaultUrl;
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(defaultUrl);
        configure?.Invoke(builder);
        builder.AddTransportSecurity(urls);

        // Quiet frameworks by default; Logging:LogLevel in configuration still narrows or widens them.
        foreach (var noisy in new[] { "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "MassTransit", "System.Net.Http" })
            if (builder.Configuration[$"Logging:LogLevel:{noisy}"] is null)
                builder.Logging.AddFilter(noisy, LogLevel.Warning);
        if (!string.Equals(builder.Configuration["Logging:Format"], "simple", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        builder.Services.AddOptions<HubOptions>()
            .Bind(builder.Configuration.GetSection(HubOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Store != "postgres" || !string.IsNullOrWhiteSpace(o.PostgresConnectionString),
                "Hub:PostgresConnectionString is required when Hub:Store is 'postgres'.")
            .Validate(o => o.RedeliveryIntervals.All(i => i > TimeSpan.Zero), "Hub:RedeliveryIntervals must be positive.")
            .Validate(o => o.Heartbeat.Interval > TimeSpan.Zero && o.Audit.Retention > TimeSpan.Zero && o.Audit.PurgeInterval > TimeSpan.Zero,
                "Hub:Heartbeat:Interval, Hub:Audit:Retention and Hub:Audit:PurgeInterval must be positive.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(HubOptions.Section).Get<HubOptions>() ?? new HubOptions();

        // The store first: its schema migration must finish before the bus starts consuming.
        builder.Services.AddHubStore(new HubStoreOptions
        {
            Provider = options.Store,
            SqlitePath = options.SqlitePath,
            PostgresConnectionString = options.PostgresConnectionString,
            ColumnEncryption = builder.Configuration.GetSection(Hub.Persistence.Encryption.ColumnEncryptionOptions.Section).Get<Hub.Persistence.Encryption.ColumnEncryptionOptions>(),
        });
        builder.Services.AddMessageAudit();
        builder.Services.AddHubMonitoring(options, modules);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddHubAccess();
        builder.AddNetworkAllowList();

        foreach (var module in modules)
            module.AddServices(builder);

        builder.Services.AddHubBus(options, modules);
        builder.Services.AddHubTelemetry(options, modules.Select(m => m.Name).ToArray());
        builder.Services.AddHubProblemDetails();
        builder.Services.AddHealthChecks().AddDbContextCheck<HubDbContext>("store", tags: ["ready"]);

        var app = builder.Build();
        app.UseTransportSecurity();
        app.UseNetworkAllowList();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        foreach (var module in modules)
            module.Map(app);
        return app;
    }
}
