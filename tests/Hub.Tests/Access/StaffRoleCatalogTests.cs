using Hub.Infrastructure.Access;

namespace Hub.Tests.Access;

/// <summary>Role definitions from configuration: validated, replacing a default as a whole; grants measured from their anchor.</summary>
public sealed class StaffRoleCatalogTests
{
    [Fact]
    public void A_configured_role_replaces_its_default_and_the_others_keep_theirs()
    {
        var catalog = new StaffRoleCatalog(new StaffRolesOptions
        {
            Roles = { ["salesperson"] = new StaffRoleDefinition { Permissions = { [StaffPermissions.CustomersRead] = DataScope.Office } } },
        });

        Assert.Equal([StaffPermissions.CustomersRead], catalog.PermissionsOf("salesperson").Keys);
        Assert.Equal(DataScope.Region, catalog.PermissionsOf("manager")[StaffPermissions.OrdersApprove]);
        Assert.Empty(catalog.PermissionsOf("emperor"));
    }

    [Fact]
    public void Unknown_permissions_and_empty_roles_are_reported_at_start()
    {
        var options = new StaffRolesOptions
        {
            Roles =
            {
                ["auditor"] = new StaffRoleDefinition { Permissions = { ["customers.everything"] = DataScope.All } },
                ["nobody"] = new StaffRoleDefinition(),
                ["reader2"] = new StaffRoleDefinition { Permissions = { [StaffPermissions.OpsRead] = DataScope.All } },
            },
        };

        var problems = options.Problems().ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("customers.everything"));
        Assert.Contains(problems, p => p.Contains("Access:Roles:nobody"));
        Assert.Empty(new StaffRolesOptions { Roles = new(StaffRolesOptions.Defaults) }.Problems());
    }

    [Theory]
    [InlineData(DataScope.Own, "me", "o1", "r1", true)]
    [InlineData(DataScope.Own, "other", "o1", "r1", false)]
    [InlineData(DataScope.Office, "other", "o1", "r2", true)]
    [InlineData(DataScope.Office, "other", "o2", "r1", false)]
    [InlineData(DataScope.Region, "other", "o2", "r1", true)]
    [InlineData(DataScope.Region, "other", "o2", "r2", false)]
    [InlineData(DataScope.All, "other", "o9", "r9", true)]
    public void A_grant_reaches_records_from_its_anchor(DataScope scope, string owner, string office, string region, bool covered) =>
        Assert.Equal(covered, new PermissionGrant(StaffPermissions.CustomersRead, scope, "me", "o1", "r1").Covers(owner, office, region));
}
