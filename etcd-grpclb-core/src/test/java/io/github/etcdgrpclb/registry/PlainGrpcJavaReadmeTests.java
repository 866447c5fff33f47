package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.support.EchoService;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's plain grpc-java server and client, as written there (only the service, the port and
 * the endpoints differ): the server registers itself, a channel on {@code etcd:///} calls it, and
 * closing deregisters before the server stops.
 */
class PlainGrpcJavaReadmeTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void readmeServerShouldBeCalledThroughEtcdAndDeregisterOnClose() throws Exception {
		String endpoint = etcd.endpoints();
		// --- README: plain grpc-java server ---
		Client etcdClient = Client.builder().endpoints(endpoint).build();
		Server server = ServerBuilder.forPort(0).addService(new EchoService("a")).build().start();
		EtcdServerRegistrations registrations = new EtcdServerRegistrations(etcdClient, "simple_grpc",
				(port) -> new ServiceRegistration("/grpclb", "simple_grpc", "127.0.0.1", port, 4),
				Duration.ofSeconds(10), 100, Duration.ofSeconds(1));
		registrations.serverStarted(server.getPort());
		// --- end ---
		registrations.register().get(5, TimeUnit.SECONDS);
		ManagedChannel channel = ManagedChannelBuilder
			.forTarget("etcd://" + endpoint.replaceFirst("^https?://", "") + "/simple_grpc")
			.usePlaintext()
			.build();
		try {
			assertThat(EchoCalls.call(channel, "x")).isEqualTo("a:x");
			// --- README: on shutdown ---
			registrations.deregisterAndDrain();
			registrations.close();
			server.shutdown().awaitTermination(10, TimeUnit.SECONDS);
			etcdClient.close();
			// --- end ---
			try (RawEtcd raw = new RawEtcd(endpoint)) {
				assertThat(raw.list("/grpclb/simple_grpc/")).isEmpty();
			}
		}
		finally {
			channel.shutdownNow();
			server.shutdownNow();
		}
	}

}
