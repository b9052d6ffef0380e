using System.Text;
using Hub.Adapters.Ops;
using Hub.Infrastructure.Monitoring;
using Hub.Persistence;
using Hub.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Hub.Tests.Ops;

/// <summary>The broker's error queues keep only what still needs operations (against a real RabbitMQ).</summary>
[Collection("ops")]
public sealed class ErrorQueueSweepTests(OpsHub hub)
{
    [DistributedFact]
    public async Task Copies_of_resolved_and_archived_messages_leave_the_error_queue_the_rest_stay_in_order()
    {
        var factory = new ConnectionFactory { Uri = new Uri(Environment.GetEnvironmentVariable("HUB_TEST_RABBITMQ")!) };
        var queue = $"sweep-test-{Guid.NewGuid():N}_error";
        Guid resolved = Guid.NewGuid(), archived = Guid.NewGuid(), unresolved = Guid.NewGuid(), retriedAndFailedAgain = Guid.NewGuid(), unknown = Guid.NewGuid();
        Guid[] order = [resolved, unresolved, archived, retriedAndFailedAgain, unknown];

        await using (var scope = hub.Hub.Hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            db.AddRange(
                Failed(resolved, FailedMessageStatus.Resolved), Failed(archived, FailedMessageStatus.Archived), Failed(unresolved, FailedMessageStatus.Unresolved),
                Failed(retriedAndFailedAgain, FailedMessageStatus.Resolved), Failed(retriedAndFailedAgain, FailedMessageStatus.Unresolved));
            await db.SaveChangesAsync();
        }

        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        try
        {
            foreach (var id in order)
                await channel.BasicPublishAsync("", queue, mandatory: false, new BasicProperties { MessageId = id.ToString() }, Encoding.UTF8.GetBytes("{}"));

            var sweep = hub.Hub.Hub.Services.GetRequiredService<ErrorQueueSweep>();
            Assert.Equal(2, await sweep.SweepAsync(connection, queue, CancellationToken.None));
            Assert.Equal(0, await sweep.SweepAsync(connection, queue, CancellationToken.None));

            var left = new List<Guid>();
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                left.Add(Guid.Parse(message.BasicProperties.MessageId!));
            Assert.Equal([unresolved, retriedAndFailedAgain, unknown], left);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    private static FailedMessage Failed(Guid messageId, string status) => new()
    {
        MessageId = messageId, MessageType = "urn:message:Test", Endpoint = "sweep-test", InputAddress = "queue:sweep-test", ExceptionType = "Boom",
        ExceptionMessage = "boom", FailurePoint = "test", GroupId = "sweep-test", FirstFailedAt = DateTime.UtcNow, LastFailedAt = DateTime.UtcNow,
        FailureCount = 1, Status = status,
    };
}
