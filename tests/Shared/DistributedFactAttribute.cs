namespace Hub.TestSupport;

/// <summary>
/// A test that needs the real servers. The README's test command always provides them
/// (HUB_TEST_POSTGRES, HUB_TEST_RABBITMQ); a bare <c>dotnet test</c> without them skips, saying why.
/// </summary>
public sealed class DistributedFactAttribute : FactAttribute
{
    public DistributedFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES"))
            || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("HUB_TEST_RABBITMQ")))
            Skip = "Needs HUB_TEST_POSTGRES and HUB_TEST_RABBITMQ; run infra/scripts/test.sh.";
    }
}
