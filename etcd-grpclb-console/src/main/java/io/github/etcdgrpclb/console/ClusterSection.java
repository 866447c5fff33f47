package io.github.etcdgrpclb.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.etcd.StateMachineThreads;

/**
 * The etcd cluster: its members, which one leads, each one's version, database size and errors, and the
 * cluster's alarms. etcd has no watch of these: read every 2 s, each request bounded, on a thread of
 * its own; a member that does not answer is shown so.
 */
final class ClusterSection implements AutoCloseable {

	private static final long PERIOD_MILLIS = 2000;

	private final Client client;

	private final LiveSections sections;

	private final ScheduledExecutorService timer = StateMachineThreads.timer("console-cluster");

	ClusterSection(Client client, LiveSections sections) {
		this.client = client;
		this.sections = sections;
		this.timer.scheduleWithFixedDelay(this::read, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	private void read() {
		try {
			List<Member> members = this.client.getClusterClient().listMember().get(2, TimeUnit.SECONDS).getMembers();
			List<MemberState> states = new ArrayList<>();
			long leader = 0;
			for (Member member : members) {
				MemberState state = state(member);
				states.add(state);
				leader = (state.leaderId() != 0) ? state.leaderId() : leader;
			}
			long leaderId = leader;
			List<MemberState> marked = states.stream().map((state) -> state.leading(state.id() == leaderId)).toList();
			List<String> alarms = this.client.getMaintenanceClient().listAlarms().get(2, TimeUnit.SECONDS).getAlarms()
				.stream()
				.map((alarm) -> alarm.getAlarmType() + " on " + Long.toHexString(alarm.getMemberId()))
				.toList();
			Cluster cluster = new Cluster(marked, alarms, null);
			this.sections.update("cluster", cluster, html(cluster));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			Cluster unreachable = new Cluster(List.of(), List.of(), "etcd did not answer: " + EtcdErrors.describe(ex));
			this.sections.update("cluster", unreachable, html(unreachable));
		}
	}

	private MemberState state(Member member) {
		String endpoint = member.getClientURIs().isEmpty() ? "" : member.getClientURIs().get(0).toString();
		try {
			StatusResponse status = this.client.getMaintenanceClient().statusMember(endpoint).get(2, TimeUnit.SECONDS);
			return new MemberState(member.getId(), member.getName(), endpoint, false, status.getLeader(),
					status.getVersion(), status.getDbSize(), status.getRaftTerm(), String.join("; ", status.getErrorList()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new MemberState(member.getId(), member.getName(), endpoint, false, 0, "", 0, 0, "interrupted");
		}
		catch (Exception ex) {
			return new MemberState(member.getId(), member.getName(), endpoint, false, 0, "", 0, 0,
					"no answer: " + EtcdErrors.describe(ex));
		}
	}

	private static String html(Cluster cluster) {
		if (cluster.error() != null) {
			return Html.empty(cluster.error());
		}
		String rows = cluster.members()
			.stream()
			.map((member) -> "<tr class=\"member\" data-name=\"" + Html.escape(member.name()) + "\">"
					+ Html.cell("name", member.name() + (member.leader() ? " (leader)" : ""))
					+ Html.cell("endpoint", member.endpoint()) + Html.cell("version", member.version())
					+ Html.cell("db-size", size(member.dbSize()))
					+ Html.cell("raft-term", Long.toString(member.raftTerm())) + Html.cell("errors", member.errors()) + "</tr>")
			.collect(Collectors.joining());
		String alarms = cluster.alarms().isEmpty() ? "<p class=\"alarms\">No alarm.</p>"
				: "<p class=\"alarms\">Alarms: " + Html.escape(String.join(", ", cluster.alarms())) + "</p>";
		return Html.table("members", "etcd", List.of("member", "client URL", "version", "db size", "raft term", "errors"),
				rows) + alarms;
	}

	private static String size(long bytes) {
		return (bytes < 1_000_000) ? String.format(Locale.ROOT, "%d kB", bytes / 1000)
				: String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
	}

	/**
	 * @param members each member and what it said of itself
	 * @param alarms the cluster's alarms (NOSPACE, CORRUPT)
	 * @param error why etcd could not be read, or null
	 */
	record Cluster(List<MemberState> members, List<String> alarms, String error) {
	}

	record MemberState(long id, String name, String endpoint, boolean leader, long leaderId, String version,
			long dbSize, long raftTerm, String errors) {

		MemberState leading(boolean leads) {
			return new MemberState(this.id, this.name, this.endpoint, leads, this.leaderId, this.version, this.dbSize,
					this.raftTerm, this.errors);
		}

	}

}
