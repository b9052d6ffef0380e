using Xunit.Sdk;

namespace Crm.Domain.Tests;

/// <summary>
/// Property checks without a property-testing package (FsCheck.Xunit 3.1.0 is not in the
/// registry): many generated cases from a fixed seed, so a failure names a case that reproduces.
/// </summary>
internal static class Property
{
    public static void ForAll(int seed, int cases, Action<Random> check)
    {
        for (var i = 0; i < cases; i++)
        {
            var random = new Random(seed * 7919 + i);
            try
            {
                check(random);
            }
            catch (Exception ex)
            {
                throw new XunitException($"Case {i} of seed {seed} broke the property: {ex.Message}", ex);
            }
        }
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static decimal Cents(this Random random, decimal max) => random.Next(0, (int)(max * 100) + 1) / 100m;
}
