using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Api;

/// <summary>Problem answers more than one group of endpoints gives.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult RunNotFound(long id) =>
        TypedResults.Problem(title: "Run not found", detail: $"There is no run {id}.", statusCode: StatusCodes.Status404NotFound);
}
