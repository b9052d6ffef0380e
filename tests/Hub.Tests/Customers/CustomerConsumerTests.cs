using Microsoft.AspNetCore.Hosting;
using Crm.Contracts.Customers;
using Crm.Domain.Customers;
using Crm.Domain.Orders;
using Hub.CrmStore;
using Hub.Endpoints;
using Hub.Persistence;
using Hub.Persistence.History;
using Hub.Persistence.Tests.Infrastructure;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Customers;

/// <summary>The customer and contact consumers on MassTransit's test harness, over a real SQLite store composed as the Endpoints host composes it.</summary>
public sealed class CustomerConsumerTests : IAsyncLifetime
{
    private EndpointsHarness _endpoints = null!;

    public async Task InitializeAsync() => _endpoints = await EndpointsHarness.StartAsync();

    public async Task DisposeAsync() => await _endpoints.DisposeAsync();

    private Task<object> Send<T>(T command) where T : class => _endpoints.Send<T, CustomerCommandAccepted, CustomerCommandRejected>(command);

    private Task<T> Read<T>(Func<HubDbContext, Task<T>> query) => _endpoints.Read(query);

    private static RegisterCustomer Register(Guid id, string code, string name = "华信科技有限公司", string kind = "Direct", string? phone = null, string? email = null) =>
        new(NewId.NextGuid(), id, new CustomerProfileData(code, name, kind, Phone: phone, Email: email), "sales-li", null, "sales-li");

    [Fact]
    public async Task The_same_command_again_changes_nothing_and_gets_the_first_answer()
    {
        var id = NewId.NextGuid();
        var command = Register(id, "C-ONCE");
        var first = Assert.IsType<CustomerCommandAccepted>(await Send(command));
        var again = Assert.IsType<CustomerCommandAccepted>(await Send(command));
        // Another command id for the same customer id is the same registration too.
        var sameCustomer = Assert.IsType<CustomerCommandAccepted>(await Send(command with { CommandId = NewId.NextGuid(), Profile = command.Profile with { Name = "Other" } }));

        Assert.Equal((id, 1L, false), (first.EntityId, first.Version, first.Repeated));
        Assert.Equal((id, 1L, true), (again.EntityId, again.Version, again.Repeated));
        Assert.True(sameCustomer.Repeated);
        Assert.Equal("华信科技有限公司", await Read(db => db.Set<Customer>().Where(c => c.Id == id).Select(c => c.Name).SingleAsync()));
        Assert.Equal(1, _endpoints.Harness.Published.Select<CustomerRegistered>().Count(m => m.Context.Message.CustomerId == id));

        var update = new UpdateCustomerProfile(NewId.NextGuid(), id, command.Profile with { Region = "east" }, [new("fleet", "3")], 1, "sales-li");
        Assert.Equal(2L, Assert.IsType<CustomerCommandAccepted>(await Send(update)).Version);
        var repeated = Assert.IsType<CustomerCommandAccepted>(await Send(update));
        Assert.Equal((2L, true), (repeated.Version, repeated.Repeated));
        Assert.Equal(1, _endpoints.Harness.Published.Select<CustomerProfileChanged>().Count(m => m.Context.Message.CustomerId == id));
    }

    [Fact]
    public async Task Broken_rules_are_rejected_with_every_field_error_and_nothing_is_stored()
    {
        var id = NewId.NextGuid();
        var rejected = Assert.IsType<CustomerCommandRejected>(await Send(new RegisterCustomer(NewId.NextGuid(), id,
            new CustomerProfileData("bad code", "", "Alien", Email: "nope", Phone: "abc"), "sales-li", [new("", "x")], "sales-li")));

        Assert.Equal(CustomerCommandRejected.Invalid, rejected.Reason);
        Assert.Superset(new HashSet<string> { "code", "name", "kind", "email", "phone" }, rejected.Errors.Keys.ToHashSet());
        Assert.False(await Read(db => db.Set<Customer>().AnyAsync(c => c.Id == id)));
        Assert.DoesNotContain(_endpoints.Harness.Published.Select<CustomerRegistered>(), m => m.Context.Message.CustomerId == id);

        var badAttribute = Assert.IsType<CustomerCommandRejected>(await Send(Register(id, "C-ATTR") with { Attributes = [new("ok", "1"), new("", "x")] }));
        Assert.Equal(["attributes[1].key"], badAttribute.Errors.Keys);
        var badGrade = Assert.IsType<CustomerCommandRejected>(await Send(new GradeCustomer(NewId.NextGuid(), NewId.NextGuid(), "A", "AAA", null, "x")));
        Assert.Equal(CustomerCommandRejected.NotFound, badGrade.Reason);
    }

    [Fact]
    public async Task A_taken_code_is_a_conflict_and_a_stale_version_a_mismatch()
    {
        var id = NewId.NextGuid();
        Assert.IsType<CustomerCommandAccepted>(await Send(Register(id, "C-TAKEN")));
        var taken = Assert.IsType<CustomerCommandRejected>(await Send(Register(NewId.NextGuid(), "C-TAKEN")));
        Assert.Equal((CustomerCommandRejected.Conflict, "code"), (taken.Reason, taken.Errors.Keys.Single()));

        Assert.IsType<CustomerCommandAccepted>(await Send(new GradeCustomer(NewId.NextGuid(), id, "B", "A", 1, "sup-zhao")));
        var stale = Assert.IsType<CustomerCommandRejected>(await Send(new GradeCustomer(NewId.NextGuid(), id, "A", "AAA", 1, "sup-zhao")));
        Assert.Equal(CustomerCommandRejected.VersionMismatch, stale.Reason);
        Assert.Equal((ValueGrade.B, CreditGrade.A), await Read(db => db.Set<Customer>().Where(c => c.Id == id).Select(c => new ValueTuple<ValueGrade, CreditGrade>(c.ValueGrade, c.CreditGrade)).SingleAsync()));
    }

    [Fact]
    public async Task Merge_moves_contacts_and_orders_records_it_and_a_merged_customer_takes_no_changes()
    {
        var survivorId = NewId.NextGuid();
        var duplicateId = NewId.NextGuid();
        Assert.IsType<CustomerCommandAccepted>(await Send(Register(survivorId, "C-SURV", phone: "010-65521234")));
        Assert.IsType<CustomerCommandAccepted>(await Send(Register(duplicateId, "C-DUPL", name: "华信科技 公司", email: "dup@example.com")));
        var contactId = NewId.NextGuid();
        Assert.IsType<CustomerCommandAccepted>(await Send(new AddContact(NewId.NextGuid(), contactId, duplicateId, new ContactData("钱会计"), null, "sales-li")));
        var order = Order.Place(NewId.NextGuid(), "C-DUPL", "sales-li", [new OrderItem("BB-100M", "FTTH", 1, 199m, 0m)], null, "mobile", DateTimeOffset.UtcNow);
        await Read(db =>
        {
            db.Add(order);
            return db.SaveChangesAsync();
        });

        var merge = new MergeCustomers(NewId.NextGuid(), survivorId, duplicateId, "sup-zhao");
        var merged = Assert.IsType<CustomerCommandAccepted>(await Send(merge));
        Assert.Equal((survivorId, 2L), (merged.EntityId, merged.Version));
        Assert.True(Assert.IsType<CustomerCommandAccepted>(await Send(merge with { CommandId = NewId.NextGuid() })).Repeated);

        Assert.Equal(survivorId, await Read(db => db.Set<Contact>().Where(c => c.Id == contactId).Select(c => c.CustomerId).SingleAsync()));
        Assert.Equal("C-SURV", await Read(db => db.Set<Order>().Where(o => o.Id == order.Id).Select(o => o.CustomerCode).SingleAsync()));
        Assert.Equal("dup@example.com", await Read(db => db.Set<Customer>().Where(c => c.Id == survivorId).Select(c => c.Email).SingleAsync()));
        var record = await Read(db => db.Set<CustomerMerged>().SingleAsync(m => m.DuplicateId == duplicateId));
        Assert.Equal([contactId], record.ContactIds);
        Assert.Equal([order.Id], record.OrderIds);
        // The merge names the record changes it wrote: the survivor's, the duplicate's, the moved contact's and the moved order's.
        var changes = await Read(db => db.Set<EntityChange>().AsNoTracking().Where(c => record.ChangeIds!.Contains(c.Id)).ToListAsync());
        Assert.Equal(record.ChangeIds!.Count, changes.Count);
        Assert.Equal(new[] { $"Contact:{contactId}", $"Customer:{duplicateId}", $"Customer:{survivorId}", $"Order:{order.Id}" }.Order(),
            changes.Select(c => $"{c.EntityType}:{c.EntityKey}").Order());
        Assert.All(changes, c => Assert.Equal("modified", c.Operation));
        var published = _endpoints.Harness.Published.Select<CustomersMerged>().Single(m => m.Context.Message.DuplicateId == duplicateId).Context.Message;
        Assert.Equal(("C-SURV", "C-DUPL"), (published.SurvivorCode, published.DuplicateCode));

        var toRetired = Assert.IsType<CustomerCommandRejected>(await Send(new AddContact(NewId.NextGuid(), NewId.NextGuid(), duplicateId, new ContactData("Late"), null, "x")));
        Assert.Equal(CustomerCommandRejected.Conflict, toRetired.Reason);
        var updateRetired = Assert.IsType<CustomerCommandRejected>(await Send(new AssignCustomerOwner(NewId.NextGuid(), duplicateId, "sales-wu", null, "x")));
        Assert.Equal(CustomerCommandRejected.Conflict, updateRetired.Reason);
        var backwards = Assert.IsType<CustomerCommandRejected>(await Send(new MergeCustomers(NewId.NextGuid(), duplicateId, survivorId, "x")));
        Assert.Equal((CustomerCommandRejected.Conflict, "survivorId"), (backwards.Reason, backwards.Errors.Keys.Single()));
    }

    [Fact]
    public async Task A_reporting_cycle_is_rejected_and_the_contact_keeps_its_line()
    {
        var customerId = NewId.NextGuid();
        Assert.IsType<CustomerCommandAccepted>(await Send(Register(customerId, "C-CYCLE")));
        var boss = NewId.NextGuid();
        var clerk = NewId.NextGuid();
        Assert.IsType<CustomerCommandAccepted>(await Send(new AddContact(NewId.NextGuid(), boss, customerId, new ContactData("王总"), null, "x")));
        Assert.IsType<CustomerCommandAccepted>(await Send(new AddContact(NewId.NextGuid(), clerk, customerId, new ContactData("李工"), boss, "x")));

        var cycle = Assert.IsType<CustomerCommandRejected>(await Send(new UpdateContact(NewId.NextGuid(), boss, new ContactData("王总", Title: "CEO"), clerk, 1, "x")));
        Assert.Equal((CustomerCommandRejected.Invalid, "reportsToId"), (cycle.Reason, cycle.Errors.Keys.Single()));
        var stored = await Read(db => db.Set<Contact>().SingleAsync(c => c.Id == boss));
        Assert.Equal((null, (Guid?)null), (stored.Title, stored.ReportsToId));
        var unknownRole = Assert.IsType<CustomerCommandRejected>(await Send(new UpdateContact(NewId.NextGuid(), clerk, new ContactData("李工", DecisionRole: "Boss"), boss, 1, "x")));
        Assert.Equal("decisionRole", unknownRole.Errors.Keys.Single());
    }
}
