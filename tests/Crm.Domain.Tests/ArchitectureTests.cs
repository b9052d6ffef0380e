using System.Reflection;

namespace Crm.Domain.Tests;

public class ArchitectureTests
{
    [Fact]
    public void Domain_references_no_bus_store_or_web_framework()
    {
        var references = typeof(DomainRuleViolation).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        var forbidden = new[] { "MassTransit", "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql", "RabbitMQ", "System.Net.Http", "Polly" };
        var offending = references.Where(r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal))).ToArray();
        Assert.True(offending.Length == 0, "Crm.Domain must stay plain C#, but references: " + string.Join(", ", offending));
        Assert.Contains(references, r => r == "System.Runtime");
    }

    [Fact]
    public void Domain_types_carry_no_persistence_attributes()
    {
        var attributed = typeof(DomainRuleViolation).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties().Cast<MemberInfo>().Append(t))
            .Where(m => m.GetCustomAttributes().Any(a => a.GetType().Namespace?.StartsWith("System.ComponentModel.DataAnnotations", StringComparison.Ordinal) == true))
            .Select(m => m.Name)
            .ToArray();
        Assert.Empty(attributed);
    }
}
