using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hub.Functions.Tests.Support;

/// <summary>A server the tests start (aiosmtpd, Kannel's boxes, fakesmsc): its output is kept, and it is killed with the test.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public ChildProcess(string file, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // fakesmsc in interactive mode reads stdin and stops at its end: keep it open.
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        if (!File.Exists(file))
            throw new FileNotFoundException($"{file} is not installed; run infra/scripts/services.sh (as root) to install it.", file);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Output => _output.ToArray();

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for an output line matching <paramref name="line"/>.</summary>
    public async Task WaitForOutput(Func<string, bool> line, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Any(line))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{what}: {_process.StartInfo.FileName} exited ({_process.ExitCode}): {string.Join('\n', _output.TakeLast(20))}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what} not seen within {timeout}: {string.Join('\n', _output.TakeLast(20))}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
