using Hub.Simulators.Erp;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Soap.Tests.Infrastructure;

/// <summary>The ERP simulator in-process on Kestrel (127.0.0.1, port 0).</summary>
public sealed class ErpSimulatorHost : IAsyncDisposable
{
    private ErpSimulatorHost(TestHost host)
    {
        Host = host;
        Simulator = host.Services.GetRequiredService<ErpSimulator>();
    }

    public TestHost Host { get; }

    public ErpSimulator Simulator { get; }

    public Uri ServiceUrl => Host.Url(Simulator.Options.Path.TrimStart('/'));

    public Uri WsdlUrl => new(ServiceUrl + "?wsdl");

    public static async Task<ErpSimulatorHost> StartAsync(Action<ErpSimulatorOptions>? configure = null)
    {
        var options = new ErpSimulatorOptions
        {
            Partners = { [TestCredentials.PartnerId] = new ErpPartnerCredentials { Username = TestCredentials.Username, Password = TestCredentials.Password } },
        };
        configure?.Invoke(options);
        var host = await TestHost.StartAsync(s => s.AddErpSimulator(options), app => app.MapErpSimulator());
        return new ErpSimulatorHost(host);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>One simulator shared by the tests of a class.</summary>
public sealed class ErpSimulatorFixture : IAsyncLifetime
{
    private ErpSimulatorHost? _host;

    public ErpSimulatorHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _host = await ErpSimulatorHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
