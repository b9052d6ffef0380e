using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Hub.Bench;

/// <summary>Raw broker rate for the same machine: persistent messages, publisher confirms, manual acks.</summary>
public static class RawBrokerBench
{
    public sealed record Result(int Messages, int Size, double MessagesPerSecond);

    public static async Task<Result> Run(Uri broker, int messages, int size)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var connection = await factory.CreateConnectionAsync();
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await using var consumerChannel = await connection.CreateChannelAsync();
        var queue = "bench-raw-" + Guid.NewGuid().ToString("N")[..8];
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await consumerChannel.BasicQosAsync(0, 100, false);

        var received = 0;
        var allReceived = new TaskCompletionSource();
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, ea) =>
        {
            await consumerChannel.BasicAckAsync(ea.DeliveryTag, false);
            if (Interlocked.Increment(ref received) == messages)
                allReceived.TrySetResult();
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

        var body = new byte[size];
        Random.Shared.NextBytes(body);
        var props = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
        var sw = Stopwatch.StartNew();
        // Keep a window of confirms in flight, as MassTransit's publisher does.
        var inFlight = new List<Task>(64);
        for (var i = 0; i < messages; i++)
        {
            inFlight.Add(publisher.BasicPublishAsync("", queue, false, props, body).AsTask());
            if (inFlight.Count == 64)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }
        await Task.WhenAll(inFlight);
        await allReceived.Task.WaitAsync(TimeSpan.FromMinutes(5));
        sw.Stop();
        await publisher.QueueDeleteAsync(queue);
        return new Result(messages, size, messages / sw.Elapsed.TotalSeconds);
    }
}
