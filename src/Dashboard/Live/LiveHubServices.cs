using Dashboard.Api;
using StackExchange.Redis;

namespace Dashboard.Live;

/// <summary>The public hub, and with <c>Live:Redis</c> the backplane that lets web instances sharing one store reach each other's clients.</summary>
public static class LiveHubServices
{
    /// <summary>Every instance of one deployment publishes on channels with this prefix.</summary>
    public const string ChannelPrefix = "training-dashboard";

    public static IServiceCollection AddLiveHub(this IServiceCollection services, IConfiguration configuration)
    {
        var signalR = services.AddSignalR().AddJsonProtocol(json => WireFormat.Configure(json.PayloadSerializerOptions));
        // Read before options exist, since the backplane is wired at registration; a bad value is
        // reported by the options validation at start (DashboardOptionsValidator).
        if (configuration["Live:Redis"] is { Length: > 0 } redis && RedisAddress.IsValid(redis))
            signalR.AddStackExchangeRedis(redis, backplane => backplane.Configuration.ChannelPrefix = RedisChannel.Literal(ChannelPrefix));
        return services;
    }
}
