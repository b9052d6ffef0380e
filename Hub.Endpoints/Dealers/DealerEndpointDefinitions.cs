using Hub.Infrastructure;
using MassTransit;

namespace Hub.Endpoints.Dealers;

/// <summary>Dealer commands share the dealers endpoint.</summary>
public sealed class DealerCommandConsumerDefinition : ConsumerDefinition<DealerCommandConsumer>
{
    public DealerCommandConsumerDefinition() => EndpointName = HubQueues.Dealers;
}

/// <summary>The pace check runs on the dealers endpoint too.</summary>
public sealed class DealerPaceConsumerDefinition : ConsumerDefinition<DealerPaceConsumer>
{
    public DealerPaceConsumerDefinition() => EndpointName = HubQueues.Dealers;
}

/// <summary>
/// The ledger has its own queue, subscribed to order and payment events. Two events of one dealer written at once could each
/// miss the other's entry check; the unique entry id makes the second fail and be retried, when it finds the first.
/// </summary>
public sealed class DealerAchievementConsumerDefinition : ConsumerDefinition<DealerAchievementConsumer>
{
    public DealerAchievementConsumerDefinition() => EndpointName = HubQueues.DealerAchievement;
}
