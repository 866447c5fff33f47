package io.github.etcdgrpclb.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdgrpclb.autoconfigure.EtcdAutoServiceRegistration;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * The {@code etcd} health component. UP with the cluster id, member count, leader and revision when
 * etcd answers; DOWN with the error when it does not. When etcd answers but a registration of this
 * application is not REGISTERED (registering, reconnecting, or deregistered for draining), the
 * status is OUT_OF_SERVICE, so that a readiness probe takes the instance out while it is not
 * discoverable. Every etcd call is bounded by the timeout: a probe never hangs on wait-for-ready.
 */
public class EtcdHealthIndicator extends AbstractHealthIndicator {

	/** Any key: a count-only read of it costs etcd nothing and its header carries the revision. */
	private static final ByteSequence REVISION_PROBE = ByteSequence.from("/", StandardCharsets.UTF_8);

	private final Client client;

	private final ObjectProvider<EtcdAutoServiceRegistration> registration;

	private final Duration timeout;

	public EtcdHealthIndicator(Client client, ObjectProvider<EtcdAutoServiceRegistration> registration,
			Duration timeout) {
		super("etcd health check failed");
		this.client = client;
		this.registration = registration;
		this.timeout = timeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		MemberListResponse members = this.client.getClusterClient()
			.listMember()
			.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		builder.up()
			.withDetail("clusterId", Long.toHexString(members.getHeader().getClusterId()))
			.withDetail("members", members.getMembers().size());
		Long leader = leader(members.getMembers());
		if (leader != null) {
			members.getMembers()
				.stream()
				.filter((member) -> member.getId() == leader)
				.findFirst()
				.ifPresentOrElse((member) -> builder.withDetail("leader", member.getName()),
						() -> builder.withDetail("leader", Long.toHexString(leader)));
		}
		long revision = this.client.getKVClient()
			.get(REVISION_PROBE, GetOption.builder().withCountOnly(true).build())
			.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.getHeader()
			.getRevision();
		builder.withDetail("revision", revision);
		EtcdAutoServiceRegistration registration = this.registration.getIfAvailable();
		if (registration != null) {
			List<RegistrationStatus> statuses = registration.statuses();
			Map<String, String> states = new LinkedHashMap<>();
			statuses.forEach((status) -> states.put(status.registration().key(), status.state().name()));
			builder.withDetail("registrations", states);
			if (statuses.stream().anyMatch((status) -> status.state() != RegistrationState.REGISTERED)) {
				builder.status(Status.OUT_OF_SERVICE);
			}
		}
	}

	/** The leader as one member sees it; null when no member answers the status call in time. */
	private Long leader(List<Member> members) {
		for (Member member : members) {
			if (member.getClientURIs().isEmpty()) {
				continue;
			}
			try {
				StatusResponse status = this.client.getMaintenanceClient()
					.statusMember(member.getClientURIs().get(0).toString())
					.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
				return status.getLeader();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			catch (Exception ex) {
				// try the next member
			}
		}
		return null;
	}

}
