namespace Crm.Contracts.Dealers;

/// <summary>One term discussed in a negotiation and what was settled on it.</summary>
public sealed record NegotiatedTermData(string Topic, string Settlement);
