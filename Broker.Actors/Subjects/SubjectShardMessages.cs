namespace Broker.Subjects;

/// <summary>Add a subscription to the shard's index; <paramref name="Changes"/> is told once it is visible.</summary>
public sealed record AddSubscription(Subscription Subscription, PendingChanges? Changes);

/// <summary>Remove a subscription from the shard's index; <paramref name="Changes"/> is told once it is gone.</summary>
public sealed record RemoveSubscription(Subscription Subscription, PendingChanges? Changes);
