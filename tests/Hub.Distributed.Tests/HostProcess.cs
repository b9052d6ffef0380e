using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hub.Distributed.Tests;

/// <summary>One hub host (or the simulators) as a real child process, with its output kept for diagnosis.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly string _project;
    private readonly string[] _args;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public HostProcess(string project, int port, IEnumerable<string> args)
    {
        _project = project;
        Port = port;
        _args = ["--urls", BaseUrl, .. args];
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string Name => _project;
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Path of a host's built dll: beside this test's output, in the project's own bin folder.</summary>
    private string DllPath()
    {
        // tests/Hub.Distributed.Tests/bin/<Configuration>/net10.0/ → repository root is five levels up.
        var output = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var tfm = Path.GetFileName(output);
        var configuration = Path.GetFileName(Path.GetDirectoryName(output)!);
        var root = Path.GetFullPath(Path.Combine(output, "..", "..", "..", "..", ".."));
        var folder = _project == "Hub.Simulators" ? Path.Combine(root, "infra", _project) : Path.Combine(root, _project);
        var dll = Path.Combine(folder, "bin", configuration, tfm, _project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{_project} is not built at {dll}");
    }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(DllPath());
        foreach (var a in _args)
            info.ArgumentList.Add(a);
        info.Environment["MASSTRANSIT_USAGE_TELEMETRY"] = "false";
        info.Environment["Logging__Format"] = "simple";
        info.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until the host answers <paramref name="path"/> with 200.</summary>
    public async Task WaitUntilReady(string path, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is { HasExited: true })
                throw new InvalidOperationException($"{_project} exited with {_process.ExitCode}:\n{Log}");
            try
            {
                var response = await http.GetAsync(BaseUrl + path);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{_project} was not ready within {timeout}:\n{Log}");
    }

    /// <summary>kill -9: no shutdown, no flush, no acknowledgement.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
