using Broker.Accounts;
using Broker.Configuration;
using Broker.Logging;
using Broker.Monitoring;
using Broker.Runtime;

namespace Broker.Tests.Monitoring;

public class HealthzTests
{
    [Fact]
    public void Before_the_client_port_accepts_healthz_is_a_503_error()
    {
        var server = new ServerContext(new BrokerOptions(), ServerLog.Null, new AccountDirectory(new BrokerOptions(), 1));
        var endpoint = new HealthzEndpoint(server);

        var response = endpoint.Respond(MonitorRequest.Parse(""));

        Assert.Equal(503, response.Status);
        Assert.Equal(
            "{\"status\":\"error\",\"error\":\"the server is not accepting client connections\"}",
            System.Text.Encoding.UTF8.GetString(response.Body));
    }
}
