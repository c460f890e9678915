/** What the operating system gives the node's threads: their CPU priority (the Linux nice value). */
package live.cascade.sfu.os;
