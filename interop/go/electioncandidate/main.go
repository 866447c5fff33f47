// A candidate in an election through etcd's own Go package (concurrency.Election), as a Go service
// takes part in one: it campaigns for <election> and prints "LEADING <unix nanos>" the moment it leads,
// then keeps leading until killed.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/concurrency"
)

func main() {
	endpoints, election, id := os.Args[1], os.Args[2], os.Args[3]
	cli, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(endpoints, ","), DialTimeout: 5 * time.Second})
	if err != nil {
		panic(err)
	}
	session, err := concurrency.NewSession(cli, concurrency.WithTTL(2))
	if err != nil {
		panic(err)
	}
	candidate := concurrency.NewElection(session, election)
	fmt.Println("CAMPAIGNING")
	if err := candidate.Campaign(context.Background(), id); err != nil {
		panic(err)
	}
	fmt.Printf("LEADING %d\n", time.Now().UnixNano())
	select {}
}
