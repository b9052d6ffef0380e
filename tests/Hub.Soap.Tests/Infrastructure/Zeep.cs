using System.Diagnostics;
using System.Text.Json;

namespace Hub.Soap.Tests.Infrastructure;

/// <summary>Runs a zeep script of Interop/ with Debian's /usr/bin/python3 (python3-zeep): a WSDL-driven client we did not write.</summary>
public static class Zeep
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs Interop/zeep_client.py.</summary>
    public static Task<JsonElement> RunAsync(params string[] arguments) => RunScriptAsync("zeep_client.py", arguments);

    /// <summary>Runs Interop/<paramref name="scriptName"/> (copied to the test output) and parses the JSON it prints.</summary>
    public static async Task<JsonElement> RunScriptAsync(string scriptName, params string[] arguments)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: the interop tests need Debian's python3 with python3-zeep (apt-get install python3-zeep).");
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", scriptName);
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var proxy in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
        {
            start.Environment.Remove(proxy);
        }

        start.Environment["NO_PROXY"] = "*";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("zeep client did not finish within 30 s");
        }

        var output = await stdout;
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"zeep client exited {process.ExitCode}: {errors}\n{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
