namespace Crm.Contracts.Dealers;

/// <summary>One scored criterion of an inspection visit: weight (the weights of a visit add up to 1) and score 0–100.</summary>
public sealed record InspectionCriterionScore(string Criterion, decimal Weight, decimal Score);
