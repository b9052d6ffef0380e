using Crm.Domain.Products;
using Hub.Infrastructure;

namespace Hub.Tests;

/// <summary>Enum names from outside input: names only, never numbers or combinations.</summary>
public sealed class EnumNamesTests
{
    [Theory]
    [InlineData("Active", ProductState.Active)]
    [InlineData("  discontinued ", ProductState.Discontinued)]
    public void A_member_name_is_taken_whatever_its_case_and_surrounding_space(string name, ProductState expected)
    {
        Assert.True(EnumNames.TryParse<ProductState>(name, out var state));
        Assert.Equal(expected, state);
        Assert.Equal(expected, EnumNames.ParseOrUnknown<ProductState>(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("Active,Discontinued")]
    [InlineData("Retired")]
    public void Anything_but_a_member_name_is_refused_and_maps_to_an_unknown_value(string? name)
    {
        Assert.False(EnumNames.TryParse<ProductState>(name, out _));
        Assert.False(Enum.IsDefined(EnumNames.ParseOrUnknown<ProductState>(name)));
    }
}
