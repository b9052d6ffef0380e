using Crm.Contracts.Customers;
using Crm.Contracts.Dealers;
using Crm.Contracts.Notifications;
using Hub.Functions.Notifications;
using Hub.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Tests;

/// <summary>
/// The owner of a dealer hears of its agency contract ending soon and of its expiry, once each; the notifications of a customer merged
/// away follow it to the survivor, once however often the merge is delivered.
/// </summary>
[Collection("notifications")]
public sealed class DealerContractAndMergeTests(NotificationsFixture f)
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public async Task Owner_is_reminded_of_an_agency_contract_ending_soon_and_told_of_its_expiry_once_each()
    {
        f.Host.Clock.AdvanceToNext(new TimeOnly(10, 0), f.Host.Zone);
        var owner = Unique("sales-");
        var email = $"{owner.ToLowerInvariant()}@example.com";
        await f.Register($"user:{owner}", new { name = "Li", email, language = "en" });
        var dealer = Unique("D-");
        var contract = Unique("AC");
        var validTo = new DateOnly(2027, 3, 31);
        var expiring = new AgencyContractExpiring(Guid.NewGuid(), contract, Guid.NewGuid(), dealer, "顺达经销", "湖北省", validTo, 30, owner, DateTimeOffset.UtcNow);

        await f.Host.Publish(expiring);
        await f.Host.Publish(expiring);
        await f.Host.Publish(new AgencyContractExpired(expiring.ContractId, contract, expiring.DealerId, dealer, "顺达经销", "湖北省", validTo, owner, 7,
            DateTimeOffset.UtcNow));

        var mails = await Eventually.Get(() => Task.FromResult(f.Smtp.To(email)), m => m.Count >= 2, TimeSpan.FromSeconds(30), "reminder and expiry");
        Assert.Contains(mails, m => m.Subject == $"Agency contract {contract} of 顺达经销 ends on 2027-03-31");
        Assert.Contains(mails, m => m.Subject == $"Agency contract {contract} of 顺达经销 has expired");
        var recorded = await f.Host.WaitForNotifications($"{contract}/2027-03-31", n => n.Length == 1, "one reminder");
        Assert.Equal(dealer, recorded.Single().CustomerCode);
        Assert.Equal(2, f.Smtp.To(email).Count);
    }

    [Fact]
    public async Task Notifications_of_a_merged_away_customer_follow_it_to_the_survivor_once()
    {
        f.Host.Clock.AdvanceToNext(new TimeOnly(10, 0), f.Host.Zone);
        var (duplicate, survivor) = (Unique("C-"), Unique("C-"));
        var email = $"{duplicate.ToLowerInvariant()}@example.com";
        await f.Register($"customer:{duplicate}", new { name = "钱多多", email, customerCode = duplicate });
        var ticket = Unique("ST-");
        await f.Host.Publish(new ServiceTicketCompleted(Guid.NewGuid(), ticket, duplicate, null, f.Host.Clock.GetUtcNow(), null));
        await f.Host.WaitForNotifications(ticket, n => n.Any(x => x.Template == "ticket-completed"), "completion recorded");

        var merged = new CustomersMerged(Guid.NewGuid(), survivor, Guid.NewGuid(), duplicate, [], [], [], [], DateTimeOffset.UtcNow, "sales-li");
        var (first, again) = (Guid.NewGuid(), Guid.NewGuid());
        await f.Host.Publish(merged, first);
        await f.Host.WaitUntilConsumed(first);
        await f.Host.Publish(merged, again);
        await f.Host.WaitUntilConsumed(again);

        var moved = await f.Host.Notifications(ticket);
        Assert.All(moved, n => Assert.Equal((survivor, RecipientKeys.Customer(survivor)), (n.CustomerCode, n.RecipientKey)));
        var registry = await f.Host.Query(db => db.Set<NotificationRecipient>().AsNoTracking()
            .Where(r => r.Key == RecipientKeys.Customer(survivor) || r.Key == RecipientKeys.Customer(duplicate)).ToListAsync());
        var entry = Assert.Single(registry);
        Assert.Equal((RecipientKeys.Customer(survivor), survivor, email), (entry.Key, entry.CustomerCode, entry.Email));
    }
}
