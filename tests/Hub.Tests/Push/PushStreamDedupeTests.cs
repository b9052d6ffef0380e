using Crm.Contracts.Orders;
using Hub.Adapters.Identity;
using Hub.TestSupport;

namespace Hub.Tests.Push;

/// <summary>
/// Every event may arrive twice: a status change published again under a new message id (an outbox republish, an ops retry
/// of a copy) reaches the live stream once, while the same status reached again later is a second fact and streamed again.
/// </summary>
[Collection("push-hub")]
public sealed class PushStreamDedupeTests(PushHub hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>The <c>order.status</c> events of <paramref name="orderId"/> on <paramref name="stream"/> up to and including its <paramref name="last"/> status.</summary>
    private static async Task<List<SseEvent>> StatusesUntil(SseStream stream, Guid orderId, string last)
    {
        var seen = new List<SseEvent>();
        await stream.WaitFor(e =>
        {
            if (e.Event != "order.status" || e.Json.GetProperty("orderId").GetGuid() != orderId)
                return false;
            seen.Add(e);
            return e.Json.GetProperty("status").GetString() == last;
        }, Wait);
        return seen;
    }

    private static string StatusOf(SseEvent e) => e.Json.GetProperty("status").GetString()!;

    [Fact]
    public async Task Republished_status_change_is_streamed_once_and_a_later_repeat_of_the_status_again()
    {
        using var phone = await hub.PhoneAsync("sales", "android", "fcm-" + Guid.NewGuid().ToString("N"), MobileRoles.Salesperson);
        var owner = phone.UserId;
        var orderId = Guid.NewGuid();
        var approvedAt = DateTimeOffset.UtcNow;
        var approved = new OrderStatusChanged(orderId, "SO-5001", owner, "Approved", null, approvedAt);

        await using (var stream = await phone.OpenStreamAsync())
        {
            await hub.PublishAsync(approved);
            // The same change again: every publish is a new message id, so the inbox lets it through.
            await hub.PublishAsync(approved);
            // Approved once more after a resend: a second fact with its own time.
            await hub.PublishAsync(approved with { OccurredAt = approvedAt.AddMinutes(3) });
            await hub.PublishAsync(approved);
            // Handled after the others on the one-at-a-time push endpoint.
            await hub.PublishAsync(approved with { Status = "Closed", OccurredAt = approvedAt.AddMinutes(4) });

            var seen = await StatusesUntil(stream, orderId, "Closed");
            Assert.Equal(["Approved", "Approved", "Closed"], seen.Select(StatusOf));
            var ids = seen.Select(e => long.Parse(e.Id!)).ToArray();
            Assert.Equal([ids[0], ids[0] + 1, ids[0] + 2], ids);
            Assert.Equal(approvedAt.AddMinutes(3), seen[1].Json.GetProperty("occurredAt").GetDateTimeOffset());

            // Resumed after the first Approved: the second and Closed follow, the first is not sent again.
            await using var resumed = await phone.OpenStreamAsync(seen[0].Id);
            var after = await StatusesUntil(resumed, orderId, "Closed");
            Assert.Equal([seen[1].Id, seen[2].Id], after.Select(e => e.Id));
        }

        Assert.Equal(3, (await hub.EventsAsync(owner)).Count(e => e.Kind == "order.status"));
        // One platform delivery per fact as well (skipped here: the stream was open).
        Assert.Equal(3, (await hub.DeliveriesAsync(owner)).Count(d => d.Kind == "order.status"));
    }
}
